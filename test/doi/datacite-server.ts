// A DataCite REST API on 127.0.0.1, port 0, that holds every request to DataCite's rules rather than to the
// test's expectations: HTTP Basic credentials, the JSON:API media type and envelope (a JSON Schema of the
// envelope DataCite documents), and the metadata itself, decoded from the `xml` attribute and validated with
// xmllint against the official DataCite kernel-4.6 XSD, whose identifier must be the DOI of the request.
// DOIs move through DataCite's states: draft on POST without event, findable on event "publish"; a findable DOI
// can never go back to draft or be deleted.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';

const run = promisify(execFile);
const kernel46 = fileURLToPath(new URL('../../harvester/xsd/datacite/kernel-4.6/metadata.xsd', import.meta.url));

/** The JSON:API envelope of DataCite's "create DOI" and "update DOI" requests (support.datacite.org/docs/api). */
const envelope = {
  type: 'object',
  required: ['data'],
  additionalProperties: false,
  properties: {
    data: {
      type: 'object',
      required: ['type', 'attributes'],
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        type: { const: 'dois' },
        attributes: {
          type: 'object',
          required: ['url', 'xml'],
          additionalProperties: false,
          properties: {
            doi: { type: 'string', pattern: '^10\\.\\d{4,9}/\\S+$' },
            event: { enum: ['publish', 'register', 'hide'] },
            url: { type: 'string', pattern: '^https?://' },
            xml: { type: 'string', contentEncoding: 'base64' },
          },
        },
      },
    },
  },
};
const validEnvelope = new Ajv2020({ allErrors: true }).compile(envelope);

export interface StoredDoi {
  doi: string;
  state: 'draft' | 'registered' | 'findable';
  url: string;
  xml: string;
}

export interface DataciteServer {
  url: string;
  /** Every request received, in order: method, path, and what was wrong with it (empty when it was accepted). */
  requests: { method: string; path: string; problems: string[] }[];
  dois: Map<string, StoredDoi>;
  close(): Promise<void>;
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

export async function startDataciteServer(credentials: { repositoryId: string; password: string; prefix: string }) {
  const scratch = await mkdtemp(join(tmpdir(), 'datacite-server-'));
  const dois = new Map<string, StoredDoi>();
  const requests: DataciteServer['requests'] = [];
  const expectedAuth = `Basic ${Buffer.from(`${credentials.repositoryId}:${credentials.password}`).toString('base64')}`;
  let files = 0;

  /** What is wrong with the metadata: the kernel-4.6 XSD's verdict (xmllint), and the identifier. */
  async function metadataProblems(xml: string, doi: string): Promise<string[]> {
    const file = join(scratch, `${++files}.xml`);
    await writeFile(file, xml);
    try {
      await run('xmllint', ['--nonet', '--noout', '--schema', kernel46, file]);
    } catch (error) {
      return [`xml: not valid against DataCite kernel-4.6: ${(error as { stderr?: string }).stderr ?? error}`];
    }
    const identifier = parser.parse(xml).resource?.identifier;
    if (identifier?.['@_identifierType'] !== 'DOI' || identifier['#text'] !== doi)
      return [`xml: identifier must be the DOI ${doi} (identifierType="DOI")`];
    return [];
  }

  async function handle(request: IncomingMessage, body: string): Promise<{ status: number; json: unknown }> {
    const problems: string[] = [];
    const path = decodeURIComponent(request.url ?? '');
    requests.push({ method: request.method ?? '', path, problems });
    const refuse = (status: number, ...titles: string[]) => {
      problems.push(...titles);
      return { status, json: { errors: titles.map((title) => ({ status: String(status), title })) } };
    };
    if (request.headers.authorization !== expectedAuth) return refuse(401, 'Bad credentials.');
    if (request.headers['content-type'] !== 'application/vnd.api+json')
      return refuse(415, `Content-Type must be application/vnd.api+json, not ${request.headers['content-type']}`);
    let payload: { data: { id?: string; attributes: { doi?: string; event?: string; url: string; xml: string } } };
    try {
      payload = JSON.parse(body);
    } catch {
      return refuse(400, 'The body is not JSON.');
    }
    if (!validEnvelope(payload))
      return refuse(422, ...(validEnvelope.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    const { attributes } = payload.data;
    const post = request.method === 'POST' && path === '/dois';
    const put = request.method === 'PUT' && path.startsWith('/dois/');
    if (!post && !put) return refuse(404, `No route ${request.method} ${path}.`);
    const doi = post ? attributes.doi : path.slice('/dois/'.length);
    if (!doi) return refuse(422, 'doi: must be given to create a DOI');
    if (!doi.startsWith(`${credentials.prefix}/`))
      return refuse(403, `The prefix of ${doi} is not assigned to this repository.`);
    const existing = dois.get(doi);
    if (post && existing) return refuse(422, 'This DOI has already been taken');
    if (put && !existing) return refuse(404, 'The resource you are looking for doesn’t exist.');
    const xml = Buffer.from(attributes.xml, 'base64').toString('utf8');
    const wrong = await metadataProblems(xml, doi);
    if (wrong.length) return refuse(422, ...wrong);
    const state =
      attributes.event === 'publish' ? 'findable' : attributes.event === 'register' ? 'registered' : 'draft';
    // DataCite: a findable or registered DOI cannot go back to draft.
    const next = existing && existing.state !== 'draft' && state === 'draft' ? existing.state : state;
    dois.set(doi, { doi, state: next, url: attributes.url, xml });
    return {
      status: post ? 201 : 200,
      json: { data: { id: doi, type: 'dois', attributes: { doi, state: next, url: attributes.url } } },
    };
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handle(request, Buffer.concat(chunks).toString('utf8')).then(({ status, json }) => {
        response.writeHead(status, { 'content-type': 'application/vnd.api+json' });
        response.end(JSON.stringify(json));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dois,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(scratch, { recursive: true, force: true });
    },
  } satisfies DataciteServer;
}
