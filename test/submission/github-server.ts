// A stand-in for the GitHub REST API on 127.0.0.1, port 0, for the tests of `catalogue submit` and the comment
// script. Every request is checked against GitHub's published OpenAPI description (the api.github.com spec in
// @octokit/openapi): the operation must exist for the method and path, path and query parameters must be declared
// and match their schemas, and the JSON body must match the operation's requestBody schema (ajv). Anything else is
// recorded in `violations` (and answered 400), so a test fails when the client calls the API in a way GitHub does
// not document. Answers come from in-memory state (users, repositories, git objects, pull requests, comments),
// not from canned replies, so that the sequence of calls has to make sense too.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);
const specPath = require.resolve('@octokit/openapi/generated/api.github.com.json');
const specId = 'https://api.github.com/openapi.json';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: object;
  'x-multi-segment'?: boolean;
}
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
}
interface Route {
  method: string;
  template: string;
  pointer: string;
  operation: Operation;
  pattern: RegExp;
  names: string[];
  parameters: (Parameter & { schemaRef: string })[];
  literal: number;
}

type Spec = { paths: Record<string, Record<string, Operation>>; components: { parameters: Record<string, Parameter> } };

let shared: { spec: Spec; ajv: Ajv; routes: Route[]; validators: Map<string, ValidateFunction> } | undefined;

/** Loads the spec once per test file (13 MB of JSON) and builds the route table. */
function loadSpec() {
  if (shared) return shared;
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
  // OpenAPI 3.0 schemas are JSON Schema draft 4/5 with extensions (nullable, example, x-*): not strict.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI's own formats (3.0 §4.4) and GitHub's: not constraints ajv knows; accept them as the API does.
  for (const format of ['int32', 'int64', 'double', 'binary', 'timestamp']) ajv.addFormat(format, true);
  ajv.addFormat('repo.nwo', /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
  ajv.addSchema(spec as object, specId);
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = item[method];
      if (!operation) continue;
      const pointer = `#/paths/${encodeURIComponent(template.replace(/~/g, '~0').replace(/\//g, '~1'))}/${method}`;
      // Each parameter with the JSON pointer of its schema in the spec, for ajv.
      const parameters = (operation.parameters ?? []).map((p, i) => {
        if (!('$ref' in p)) return { ...p, schemaRef: `${pointer}/parameters/${i}/schema` };
        const name = p.$ref.split('/').pop()!;
        return {
          ...spec.components.parameters[name],
          schemaRef: `#/components/parameters/${encodeURIComponent(name)}/schema`,
        };
      });
      const names: string[] = [];
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
        names.push(name);
        const multi = parameters.find((p) => p.name === name)?.['x-multi-segment'];
        return multi ? '(.+)' : '([^/]+)';
      });
      routes.push({
        method: method.toUpperCase(),
        template,
        pointer,
        operation,
        pattern: new RegExp(`^${source.replace(/\\\{|\\\}/g, '')}$`),
        names,
        parameters,
        literal: template.replace(/\{[^}]+\}/g, '').length,
      });
    }
  }
  // Literal paths win over templated ones (/user/repos before /users/{username}).
  routes.sort((a, b) => b.literal - a.literal);
  shared = { spec, ajv, routes, validators: new Map() };
  return shared;
}

function validator(ref: string): ValidateFunction {
  const { ajv, validators } = loadSpec();
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `${specId}${ref}` });
    validators.set(ref, validate);
  }
  return validate;
}

/** A query or path value as the schema expects it (parameters travel as strings). */
function coerce(value: string, schema: { type?: string } | undefined): unknown {
  if (schema?.type === 'integer' || schema?.type === 'number')
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (schema?.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

export interface FakeUser {
  login: string;
  type?: 'User' | 'Bot' /** May write to any repository (an Actions token). */;
  writeAll?: boolean /** Read-only token. */;
  readOnly?: boolean;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body,
  headers,
});

interface GitObject {
  type: 'blob' | 'tree' | 'commit';
  content?: string;
  entries?: Map<string, string>;
  tree?: string;
  parents?: string[];
  message?: string;
}
interface Repository {
  owner: string;
  name: string;
  defaultBranch: string;
  refs: Map<string, string>;
  parent?: string;
  notReadyFor: number;
  pulls: Pull[];
  comments: Comment[];
}
interface Pull {
  number: number;
  title: string;
  body: string;
  head: string;
  headSha: string;
  base: string;
  headRepo: string;
}
interface Comment {
  id: number;
  issue: number;
  body: string;
  login: string;
  type: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  body?: unknown;
  login?: string;
}

export interface FakeGitHub {
  url: string;
  /** Requests that GitHub's OpenAPI description does not allow, described; a test expects none. */
  violations: string[];
  requests: RecordedRequest[];
  repositories: Map<string, Repository>;
  objects: Map<string, GitObject>;
  /** The next request for this operationId is answered with this status and message instead. */
  failNext(operationId: string, status: number, message: string, errors?: unknown[]): void;
  /** Adds a repository whose default branch has one commit with these files. */
  addRepository(fullName: string, files?: Record<string, string>, defaultBranch?: string): Repository;
  /** The files of a commit, path -> content. */
  filesAt(sha: string): Map<string, string>;
  addPull(fullName: string, pull: Omit<Pull, 'number'>): Pull;
  addComment(fullName: string, comment: Omit<Comment, 'id'>): Comment;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: {
  tokens: Record<string, FakeUser>;
  forkDelay?: number;
}): Promise<FakeGitHub> {
  const { routes } = loadSpec();
  const violations: string[] = [];
  const requests: RecordedRequest[] = [];
  const repositories = new Map<string, Repository>();
  const objects = new Map<string, GitObject>();
  const failures = new Map<string, { status: number; message: string; errors?: unknown[] }>();
  let nextId = 1000;

  const blobSha = (content: string) =>
    createHash('sha1')
      .update(`blob ${Buffer.byteLength(content)}\0`)
      .update(content)
      .digest('hex');
  const store = (object: GitObject): string => {
    // Blobs get their real git object id (sha1 of "blob <size>\0<content>"); trees and commits a unique one.
    const sha =
      object.type === 'blob'
        ? createHash('sha1')
            .update(`blob ${Buffer.byteLength(object.content!)}\0`)
            .update(object.content!)
            .digest('hex')
        : createHash('sha1').update(randomBytes(20)).digest('hex');
    objects.set(sha, object);
    return sha;
  };
  const commitFiles = (files: Record<string, string>, parents: string[], message: string) => {
    const entries = new Map(Object.entries(files).map(([path, content]) => [path, store({ type: 'blob', content })]));
    return store({ type: 'commit', tree: store({ type: 'tree', entries }), parents, message });
  };
  const filesAt = (sha: string) => {
    const commit = objects.get(sha);
    const tree = commit?.tree ? objects.get(commit.tree) : undefined;
    return new Map(
      [...(tree?.entries ?? new Map<string, string>())].map(([path, blob]) => [path, objects.get(blob)!.content!]),
    );
  };
  const addRepository = (
    fullName: string,
    files: Record<string, string> = { 'README.md': '# catalogue\n' },
    defaultBranch = 'main',
  ): Repository => {
    const [owner, name] = fullName.split('/');
    const repository: Repository = {
      owner,
      name,
      defaultBranch,
      refs: new Map([[`refs/heads/${defaultBranch}`, commitFiles(files, [], 'Initial commit')]]),
      notReadyFor: 0,
      pulls: [],
      comments: [],
    };
    repositories.set(fullName.toLowerCase(), repository);
    return repository;
  };
  const repoJson = (r: Repository, login?: string) => ({
    id: 1,
    node_id: 'R_1',
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { login: r.owner, id: 1, type: 'User' },
    private: false,
    fork: Boolean(r.parent),
    html_url: `https://github.test/${r.owner}/${r.name}`,
    default_branch: r.defaultBranch,
    permissions: { admin: login === r.owner, push: login === r.owner, pull: true },
  });
  const pullJson = (r: Repository, p: Pull) => ({
    id: p.number,
    number: p.number,
    state: 'open',
    title: p.title,
    body: p.body,
    html_url: `https://github.test/${r.owner}/${r.name}/pull/${p.number}`,
    head: { ref: p.head.split(':').pop(), sha: p.headSha, label: p.head },
    base: { ref: p.base },
  });
  const commentJson = (r: Repository, c: Comment) => ({
    id: c.id,
    body: c.body,
    user: { login: c.login, type: c.type },
    html_url: `https://github.test/${r.owner}/${r.name}/pull/${c.issue}#issuecomment-${c.id}`,
  });

  const fail = (status: number, message: string, errors?: unknown[]) =>
    answer(status, { message, documentation_url: 'https://docs.github.com/rest', ...(errors ? { errors } : {}) });

  function handle(
    operationId: string,
    p: Record<string, string>,
    query: URLSearchParams,
    body: Record<string, unknown>,
    user: FakeUser,
  ): Answer {
    const repository = p.owner ? repositories.get(`${p.owner}/${p.repo}`.toLowerCase()) : undefined;
    const writes = ![
      'users/get-authenticated',
      'repos/get',
      'git/get-ref',
      'git/get-commit',
      'repos/get-content',
      'git/get-blob',
      'git/get-tree',
      'issues/list-comments',
      'pulls/get',
    ].includes(operationId);
    if (p.owner && !repository) return fail(404, 'Not Found');
    if (
      writes &&
      (user.readOnly ||
        (!user.writeAll &&
          repository &&
          repository.owner !== user.login &&
          operationId !== 'repos/create-fork' &&
          operationId !== 'pulls/create'))
    ) {
      return fail(403, 'Resource not accessible by personal access token');
    }
    const r = repository!;
    switch (operationId) {
      case 'users/get-authenticated':
        return answer(200, { login: user.login, id: 1, type: user.type ?? 'User' });
      case 'repos/get':
        return answer(200, repoJson(r, user.login));
      case 'repos/get-content': {
        // ref: a branch, or a commit sha as GitHub also accepts.
        const ref = query.get('ref') ?? r.defaultBranch;
        const sha = objects.get(ref)?.type === 'commit' ? ref : r.refs.get(`refs/heads/${ref}`);
        const files = sha ? filesAt(sha) : new Map<string, string>();
        const path = p.path.replace(/\/+$/, '');
        if (files.has(path)) return answer(200, { type: 'file', path, name: path.split('/').pop() });
        // A folder: its files, each with its blob sha and size, as GitHub lists them (sub-folders left out).
        const inFolder = [...files].filter(
          ([f]) => f.startsWith(path + '/') && !f.slice(path.length + 1).includes('/'),
        );
        if (inFolder.length || [...files.keys()].some((f) => f.startsWith(path + '/')))
          return answer(
            200,
            inFolder.map(([f, content]) => ({
              type: 'file',
              path: f,
              name: f.split('/').pop(),
              size: Buffer.byteLength(content),
              sha: blobSha(content),
            })),
          );
        return fail(404, 'Not Found');
      }
      case 'git/get-tree': {
        // Trees are kept flat (path -> blob): a recursive listing gives every file, with GitHub's fields.
        const tree = objects.get(p.tree_sha);
        if (tree?.type !== 'tree') return fail(404, 'Not Found');
        const entries = [...tree.entries!].map(([path, sha]) => ({
          path,
          mode: '100644',
          type: 'blob',
          sha,
          size: Buffer.byteLength(objects.get(sha)!.content!),
        }));
        return answer(200, { sha: p.tree_sha, url: '', tree: entries, truncated: false });
      }
      case 'git/get-blob': {
        const blob = objects.get(p.file_sha);
        if (blob?.type !== 'blob') return fail(404, 'Not Found');
        const content = Buffer.from(blob.content!).toString('base64');
        return answer(200, { sha: p.file_sha, size: Buffer.byteLength(blob.content!), encoding: 'base64', content });
      }
      case 'repos/create-fork': {
        const full = `${user.login}/${typeof body.name === 'string' ? body.name : r.name}`;
        let fork = repositories.get(full.toLowerCase());
        if (!fork) {
          fork = {
            owner: user.login,
            name: full.split('/')[1],
            defaultBranch: r.defaultBranch,
            refs: new Map(
              body.default_branch_only
                ? [[`refs/heads/${r.defaultBranch}`, r.refs.get(`refs/heads/${r.defaultBranch}`)!]]
                : r.refs,
            ),
            parent: `${r.owner}/${r.name}`,
            notReadyFor: options.forkDelay ?? 0,
            pulls: [],
            comments: [],
          };
          repositories.set(full.toLowerCase(), fork);
        }
        return answer(202, repoJson(fork, user.login));
      }
      case 'repos/merge-upstream': {
        const parent = r.parent ? repositories.get(r.parent.toLowerCase()) : undefined;
        if (!parent) return fail(422, 'This repository is not a fork');
        r.refs.set(`refs/heads/${body.branch}`, parent.refs.get(`refs/heads/${body.branch}`)!);
        return answer(200, {
          message: 'Successfully fetched and fast-forwarded from upstream',
          merge_type: 'fast-forward',
          base_branch: `${parent.owner}:${body.branch}`,
        });
      }
      case 'git/get-ref': {
        if (r.notReadyFor > 0) {
          r.notReadyFor--;
          return fail(409, 'Git Repository is empty.');
        }
        const sha = r.refs.get(`refs/${p.ref}`);
        if (!sha) return fail(404, 'Not Found');
        return answer(200, { ref: `refs/${p.ref}`, node_id: 'REF', url: '', object: { type: 'commit', sha, url: '' } });
      }
      case 'git/get-commit': {
        const commit = objects.get(p.commit_sha);
        if (commit?.type !== 'commit') return fail(404, 'Not Found');
        return answer(200, {
          sha: p.commit_sha,
          tree: { sha: commit.tree, url: '' },
          parents: commit.parents!.map((sha) => ({ sha })),
          message: commit.message,
        });
      }
      case 'git/create-blob': {
        const content =
          body.encoding === 'base64'
            ? Buffer.from(String(body.content), 'base64').toString('utf8')
            : String(body.content);
        return answer(201, { sha: store({ type: 'blob', content }), url: '' });
      }
      case 'git/create-tree': {
        const baseTree = body.base_tree ? objects.get(String(body.base_tree)) : undefined;
        if (body.base_tree && baseTree?.type !== 'tree')
          return fail(422, 'Invalid tree info', ['base_tree is not a valid tree']);
        const entries = new Map(baseTree?.entries ?? []);
        for (const item of body.tree as { path: string; sha?: string | null; type: string }[]) {
          if (item.sha === null) entries.delete(item.path);
          else if (objects.get(item.sha!)?.type !== 'blob')
            return fail(422, 'Invalid tree info', [`tree.sha ${item.sha} is not a valid blob`]);
          else entries.set(item.path, item.sha!);
        }
        return answer(201, {
          sha: store({ type: 'tree', entries }),
          url: '',
          tree: [...entries].map(([path, sha]) => ({ path, sha, type: 'blob', mode: '100644' })),
          truncated: false,
        });
      }
      case 'git/create-commit': {
        if (objects.get(String(body.tree))?.type !== 'tree') return fail(422, 'Tree SHA does not exist');
        const parents = (body.parents as string[] | undefined) ?? [];
        if (parents.some((sha) => objects.get(sha)?.type !== 'commit'))
          return fail(422, 'Parent SHA does not exist or is not a commit object');
        const sha = store({ type: 'commit', tree: String(body.tree), parents, message: String(body.message) });
        return answer(201, {
          sha,
          tree: { sha: body.tree },
          parents: parents.map((s) => ({ sha: s })),
          message: body.message,
        });
      }
      case 'git/create-ref': {
        const ref = String(body.ref);
        if (!/^refs\/[^/]+\/.+/.test(ref))
          return fail(422, "Reference name must start with 'refs/' and have at least two slashes.");
        if (r.refs.has(ref)) return fail(422, 'Reference already exists');
        if (objects.get(String(body.sha))?.type !== 'commit') return fail(422, 'Object does not exist');
        r.refs.set(ref, String(body.sha));
        return answer(201, { ref, node_id: 'REF', url: '', object: { type: 'commit', sha: body.sha, url: '' } });
      }
      case 'pulls/create': {
        const [headOwner, headBranch] = String(body.head).includes(':')
          ? String(body.head).split(':')
          : [r.owner, String(body.head)];
        const headRepo = [...repositories.values()].find(
          (x) =>
            x.owner.toLowerCase() === headOwner.toLowerCase() &&
            (x === r || x.parent?.toLowerCase() === `${r.owner}/${r.name}`.toLowerCase()),
        );
        const headSha = headRepo?.refs.get(`refs/heads/${headBranch}`);
        if (!headSha)
          return fail(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
        if (!r.refs.has(`refs/heads/${body.base}`))
          return fail(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
        if (r.pulls.some((x) => x.head === `${headOwner}:${headBranch}`))
          return fail(422, 'Validation Failed', [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${headOwner}:${headBranch}.`,
            },
          ]);
        const pull = {
          number: r.pulls.length + r.comments.length + 1,
          title: String(body.title),
          body: String(body.body ?? ''),
          head: `${headOwner}:${headBranch}`,
          headSha,
          base: String(body.base),
          headRepo: `${headRepo!.owner}/${headRepo!.name}`,
        };
        r.pulls.push(pull);
        return answer(201, pullJson(r, pull));
      }
      case 'pulls/get': {
        const pull = r.pulls.find((x) => x.number === Number(p.pull_number));
        return pull ? answer(200, pullJson(r, pull)) : fail(404, 'Not Found');
      }
      case 'issues/list-comments': {
        const perPage = Number(query.get('per_page') ?? 30);
        const page = Number(query.get('page') ?? 1);
        const all = r.comments.filter((c) => c.issue === Number(p.issue_number));
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length)
          headers.link =
            `<${server.url}/repos/${r.owner}/${r.name}/issues/${p.issue_number}/comments` +
            `?per_page=${perPage}&page=${page + 1}>; rel="next"`;
        return answer(
          200,
          slice.map((c) => commentJson(r, c)),
          headers,
        );
      }
      case 'issues/create-comment': {
        if (!r.pulls.some((x) => x.number === Number(p.issue_number))) return fail(404, 'Not Found');
        const comment = {
          id: nextId++,
          issue: Number(p.issue_number),
          body: String(body.body),
          login: user.login,
          type: user.type ?? 'User',
        };
        r.comments.push(comment);
        return answer(201, commentJson(r, comment));
      }
      case 'issues/update-comment': {
        const comment = r.comments.find((c) => c.id === Number(p.comment_id));
        if (!comment) return fail(404, 'Not Found');
        if (comment.login !== user.login) return fail(403, 'Resource not accessible by integration');
        comment.body = String(body.body);
        return answer(200, commentJson(r, comment));
      }
      default:
        return fail(501, `the fake GitHub does not implement ${operationId}`);
    }
  }

  async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname };
    requests.push(recorded);
    const send = (answer: Answer) => {
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      response.end(answer.status === 204 ? undefined : JSON.stringify(answer.body));
    };
    const violation = (text: string) => {
      violations.push(`${recorded.method} ${url.pathname}${url.search}: ${text}`);
      send(fail(400, `not allowed by GitHub's OpenAPI description: ${text}`));
    };

    // 1. The operation, by method and path.
    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of routes) {
      if (candidate.method !== recorded.method) continue;
      match = candidate.pattern.exec(url.pathname);
      if (match) {
        route = candidate;
        break;
      }
    }
    if (!route || !match) return violation('no such operation');
    recorded.operationId = route.operation.operationId;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(match![i + 1])));

    // 2. Parameters: declared, required ones present, values valid.
    for (const parameter of route.parameters) {
      if (parameter.in === 'path') {
        const validate = validator(parameter.schemaRef);
        if (!validate(coerce(params[parameter.name], parameter.schema as { type?: string })))
          return violation(
            `path parameter ${parameter.name}=${params[parameter.name]}: ${JSON.stringify(validate.errors)}`,
          );
      }
      if (parameter.in === 'query' && parameter.required && !url.searchParams.has(parameter.name))
        return violation(`missing required query parameter ${parameter.name}`);
    }
    for (const [name, value] of url.searchParams) {
      const parameter = route.parameters.find((p) => p.in === 'query' && p.name === name);
      if (!parameter) return violation(`undeclared query parameter ${name}`);
      const validate = validator(parameter.schemaRef);
      if (!validate(coerce(value, parameter.schema as { type?: string })))
        return violation(`query parameter ${name}=${value}: ${JSON.stringify(validate.errors)}`);
    }

    // 3. The body.
    const bodySpec = route.operation.requestBody;
    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      if (!bodySpec) return violation('a body was sent to an operation that takes none');
      if (!/^application\/json\b/.test(request.headers['content-type'] ?? ''))
        return violation(`body sent as ${request.headers['content-type']}, not application/json`);
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return violation('the body is not JSON');
      }
      const validate = validator(`${route.pointer}/requestBody/content/application~1json/schema`);
      if (!validate(body))
        return violation(`the body does not match the schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      recorded.body = body;
    } else if (bodySpec?.required) return violation('the operation requires a body');

    // 4. Authentication, as GitHub answers it.
    const auth = /^(?:token|bearer) (.+)$/i.exec(request.headers.authorization ?? '');
    const user = auth ? options.tokens[auth[1]] : undefined;
    if (!user) return send(fail(401, 'Bad credentials'));
    recorded.login = user.login;

    const failure = failures.get(route.operation.operationId);
    if (failure) {
      failures.delete(route.operation.operationId);
      return send(fail(failure.status, failure.message, failure.errors));
    }
    send(handle(route.operation.operationId, params, url.searchParams, body, user));
  }

  const http = createServer((request, response) => {
    respond(request, response).catch((error: Error) => {
      violations.push(`server error: ${error.stack}`);
      response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: FakeGitHub = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    violations,
    requests,
    repositories,
    objects,
    failNext: (operationId, status, message, errors) => void failures.set(operationId, { status, message, errors }),
    addRepository,
    filesAt,
    addPull(fullName, pull) {
      const r = repositories.get(fullName.toLowerCase())!;
      const full = { ...pull, number: r.pulls.length + 1 };
      r.pulls.push(full);
      return full;
    },
    addComment(fullName, comment) {
      const r = repositories.get(fullName.toLowerCase())!;
      const full = { ...comment, id: nextId++ };
      r.comments.push(full);
      return full;
    },
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
  return server;
}
