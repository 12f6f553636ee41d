// `catalogue submit <folder>`: for people who don't use git. Validates a submission folder with the catalogue's
// own checks, then opens the pull request through the GitHub API (fork, branch, commit, pull request), where CI
// runs the same checks again.
import { lstat, readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Entry, Manifest } from '../../schemas/index.ts';
import { entryFile, manifestFile, submissionNamePattern, type RecordLocation } from '../../catalog/layout.ts';
import { countErrors, formatProblem } from '../../catalog/problems.ts';
import { inspectRecord } from '../../catalog/records.ts';
import { parseSource } from '../../catalog/source.ts';
import { writeJsonFile } from '../../catalog/write.ts';
import { escapeMarkdown } from '../../catalog/report/markdown.ts';
import { defineCommand, EnvironmentError, UsageError, writeJson } from '../command.ts';
import { createGitHub, parseRepository, tokenFromEnvironment } from '../github/client.ts';
import { openSubmission } from '../github/submission.ts';

export default defineCommand({
  meta: {
    name: 'submit',
    description: `
<folder> holds entry.yaml and manifest.json. Without a manifest, --data DIR builds one from the data files
(path, size, sha256, format of each) and writes it to <folder>/manifest.json first; or make it yourself with
\`catalogue manifest create <data folder> --out <folder>/manifest.json\`. The folder is checked exactly as CI
will check it; problems are printed one per line and nothing is sent while there is an error. Then, with the
token in GITHUB_TOKEN, it forks the repository (or reuses your fork), commits the two files as
<catalog-path>/submissions/<name>/ on a new branch submission/<name>, and opens a pull request with a checklist.

Environment: GITHUB_TOKEN (or GH_TOKEN): a classic token with public_repo, or a fine-grained token with
Contents: write and Pull requests: write.
Exit codes: 0 pull request opened (or --dry-run passed), 1 the submission has errors, 2 usage or GitHub error.`,
  },
  args: {
    folder: { type: 'positional', required: true, description: 'the submission folder (entry.yaml, manifest.json)' },
    repo: {
      type: 'string',
      value: 'OWNER/NAME',
      description: 'the catalogue\'s repository (default: $CATALOGUE_GITHUB_REPO, else package.json "repository")',
    },
    name: {
      type: 'string',
      value: 'NAME',
      description: "the submission's folder name (default: the folder's own name; 3-81 of a-z, 0-9 and '-')",
    },
    'api-url': {
      type: 'string',
      value: 'URL',
      description:
        'GitHub REST API root (default: $GITHUB_API_URL, else https://api.github.com;\n' +
        'GitHub Enterprise Server: https://HOST/api/v3)',
    },
    'catalog-path': {
      type: 'string',
      value: 'DIR',
      default: 'archive',
      description: "the catalogue's folder inside the repository (default: archive)",
    },
    'dry-run': { type: 'boolean', description: 'validate only; print what would be submitted' },
    data: {
      type: 'string',
      value: 'DIR',
      description: 'the data files, to build manifest.json when the folder has none',
    },
    mirror: {
      type: 'string',
      value: 'ID',
      description: 'with --data: the mirror that will hold them (manifest location.mirror; default: local)',
    },
    prefix: {
      type: 'string',
      value: 'P',
      description: 'with --data: their key prefix there (default: submissions/<name>/)',
    },
  },
  async run({ values, positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give one submission folder');
    const folder = resolve(positionals[0]);
    const folderStat = await stat(folder).catch(() => undefined);
    if (!folderStat?.isDirectory()) throw new UsageError(`${positionals[0]} is not a folder`);
    const name = values.name ?? basename(folder);
    if (!submissionNamePattern.test(name)) {
      throw new UsageError(
        `'${name}' cannot name a submission: use 3 to 81 lower-case letters, digits and '-' (e.g. ` +
          `zebrafish-heart-lightsheet); rename the folder or pass --name`,
      );
    }
    const catalogPath = values['catalog-path'].replace(/\/+$/, '');
    if (
      !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(catalogPath) ||
      catalogPath.split('/').some((s) => s === '.' || s === '..')
    ) {
      throw new UsageError('--catalog-path must be a relative folder inside the repository, e.g. archive');
    }

    // 1. The same checks as CI, on the folder as if it were <catalogue>/submissions/<name>/.
    let names = new Set(await readdir(folder));
    if (values.data !== undefined) {
      if (names.has(manifestFile))
        throw new UsageError(
          `${positionals[0]} already has ${manifestFile}; remove it to build a new one from --data, or leave ` +
            `--data out`,
        );
      try {
        await buildManifest(
          resolve(values.data),
          join(folder, manifestFile),
          { mirror: values.mirror, prefix: values.prefix ?? `submissions/${name}/` },
          context.stderr,
        );
      } catch (error) {
        if (!(error instanceof DataFolderError)) throw error;
        context.stderr.write(`${error.message}\n`);
        return 1;
      }
      names = new Set(await readdir(folder));
    }
    if (!names.has(entryFile))
      throw new UsageError(`${positionals[0]} has no ${entryFile}; see README, "Submit a dataset"`);
    // The two files sent must be plain files, as CI's check requires (catalog/layout.ts): a link would be sent as
    // what it points at, and reading a FIFO would wait for ever.
    for (const file of [entryFile, manifestFile]) {
      if (!names.has(file)) continue;
      const info = await lstat(join(folder, file));
      if (!info.isFile())
        throw new UsageError(
          `${join(positionals[0], file)} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}` +
            `; put the file itself there`,
        );
    }
    const location: RecordLocation = {
      kind: 'submission',
      id: name,
      file: join(folder, entryFile),
      manifest: names.has(manifestFile) ? join(folder, manifestFile) : undefined,
      folder,
    };
    const { problems } = await inspectRecord(dirname(folder), location, context.today);
    const errors = countErrors(problems);
    for (const problem of problems) context.stderr.write(formatProblem(problem) + '\n');
    if (errors > 0) {
      context.stderr.write(`${errors} error(s): fix them and run submit again; nothing was sent.\n`);
      if (context.json) writeJson(context, { submitted: false, problems });
      return 1;
    }
    const ignored = [...names].filter((n) => n !== entryFile && n !== manifestFile);
    if (ignored.length)
      context.stderr.write(`not submitted (only ${entryFile} and ${manifestFile} are): ${ignored.join(', ')}\n`);

    const entryText = await readFile(location.file, 'utf8');
    const manifestText = await readFile(location.manifest!, 'utf8');
    const entry = parseSource(location.file, entryText).data as Entry;
    const manifest = JSON.parse(manifestText) as Manifest;
    const title = `Submission: ${entry.study.title}`.replace(/\s+/g, ' ').slice(0, 240);
    const body = pullRequestBody(name, catalogPath, entry, manifest);

    const repository = await targetRepository(values.repo);
    if (values['dry-run']) {
      if (context.json)
        writeJson(context, {
          submitted: false,
          dryRun: true,
          repository: `${repository.owner}/${repository.repo}`,
          path: `${catalogPath}/submissions/${name}`,
          title,
          body,
        });
      else
        context.stdout.write(
          `${positionals[0]} is valid. Would open on ${repository.owner}/${repository.repo}: ${title}\n`,
        );
      return 0;
    }

    // 2. GitHub.
    const token = tokenFromEnvironment();
    const github = createGitHub({ token, apiUrl: values['api-url'] ?? process.env.GITHUB_API_URL });
    const opened = await openSubmission(github, {
      owner: repository.owner,
      repo: repository.repo,
      name,
      catalogPath,
      files: [
        { name: entryFile, content: entryText },
        { name: manifestFile, content: manifestText },
      ],
      title,
      body,
      progress: (line) => context.stderr.write(line + '\n'),
    });
    if (context.json)
      writeJson(context, {
        submitted: true,
        pullRequest: opened.url,
        number: opened.number,
        branch: `${opened.head.owner}/${opened.head.repo}:${opened.head.branch}`,
        commit: opened.commit,
      });
    else
      context.stdout.write(
        `Opened pull request #${opened.number}: ${opened.url}\nCI will check it and comment; follow the ` +
          `checklist there.\n`,
      );
    return 0;
  },
});

/**
 * Builds manifest.json with storage's createManifest (storage/manifest.ts), loaded only when asked for: the
 * submit command itself must not depend on the storage layer being present.
 */
async function buildManifest(
  data: string,
  out: string,
  location: { mirror?: string; prefix: string },
  stderr: NodeJS.WritableStream,
): Promise<void> {
  const dataStat = await stat(data).catch(() => undefined);
  if (!dataStat?.isDirectory()) throw new UsageError(`--data ${data} is not a folder`);
  let storage: typeof import('../../storage/manifest.ts');
  try {
    storage = await import('../../storage/manifest.ts');
  } catch (error) {
    throw new EnvironmentError(
      'MANIFEST_BUILDER_MISSING',
      `cannot build a manifest here (${(error as Error).message}); make it with \`catalogue manifest create\` ` +
        `and run submit without --data`,
      { cause: error },
    );
  }
  stderr.write(`building ${manifestFile} from ${data}...\n`);
  const { manifest, problems, warnings } = await storage.createManifest(data, {
    mirror: location.mirror,
    prefix: location.prefix,
  });
  for (const warning of warnings) stderr.write(`${data}/${storage.formatManifestProblem(warning, 'warning')}\n`);
  if (problems.length > 0) {
    for (const problem of problems) stderr.write(`${data}/${storage.formatManifestProblem(problem)}\n`);
    throw new DataFolderError(
      `${problems.length} file(s) in ${data} cannot be listed in a manifest (see above); nothing was written or sent`,
    );
  }
  await writeJsonFile(out, manifest);
  stderr.write(`wrote ${out}: ${manifest.files.length} file(s)\n`);
}

/** The data folder has files a manifest cannot list: exit code 1, like other problems in the submission. */
class DataFolderError extends Error {
  readonly code = 'DATA_FOLDER_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'DataFolderError';
  }
}

/** --repo, else $CATALOGUE_GITHUB_REPO, else package.json's "repository" (a github: shorthand or a GitHub URL). */
async function targetRepository(option: string | undefined): Promise<{ owner: string; repo: string }> {
  let value = option ?? process.env.CATALOGUE_GITHUB_REPO;
  if (!value) {
    const packageJson = JSON.parse(
      await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    ) as { repository?: string | { url?: string } };
    const raw = typeof packageJson.repository === 'string' ? packageJson.repository : packageJson.repository?.url;
    value = raw
      ?.replace(/^github:/, '')
      .replace(/^(git\+)?https:\/\/github\.com\//, '')
      .replace(/\.git$/, '');
  }
  if (!value) throw new UsageError('which repository? pass --repo OWNER/NAME or set CATALOGUE_GITHUB_REPO');
  const parsed = parseRepository(value);
  if (!parsed)
    throw new UsageError(`'${value}' is not a GitHub repository; write OWNER/NAME, e.g. bioimage-catalogue/catalogue`);
  return parsed;
}

function pullRequestBody(name: string, catalogPath: string, entry: Entry, manifest: Manifest): string {
  const bytes = manifest.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  const { mirror, prefix } = manifest.location;
  const location = `mirror ${escapeMarkdown(mirror)}, prefix ${escapeMarkdown(prefix)}`;
  return [
    `Adds the submission \`${catalogPath}/submissions/${name}/\`, opened with \`catalogue submit\`.`,
    '',
    `**${escapeMarkdown(entry.study.title)}**`,
    '',
    `- Licence: ${escapeMarkdown(entry.study.license)}`,
    `- Release date: ${escapeMarkdown(entry.study.releaseDate ?? 'on merge')}`,
    `- Files: ${manifest.files.length} (${formatSize(bytes)}), in ${location}`,
    '',
    'The accession is assigned when this pull request is merged.',
    '',
    '### Submitter',
    '',
    '- [ ] The files listed in manifest.json are uploaded where the manifest says.',
    '- [ ] I may publish these data under the licence above, and every author agreed.',
    '- [ ] Authors, ORCID iDs and affiliations are right.',
    '- [ ] The release date is right (a future date keeps the entry embargoed until then).',
    '',
    '### Curator',
    '',
    "- [ ] The check passed (see the bot's comment).",
    '- [ ] The REMBI metadata describe the data well enough to reuse them.',
    '- [ ] The files are reachable and their checksums match.',
    '',
  ].join('\n');
}

function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
