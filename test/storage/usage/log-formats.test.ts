// The three log formats, read from real logs (fixtures/real, see its README): every request line is read, the
// fields land where the AWS and Apache documentation put them, header and comment lines are not requests.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogLineParser, type LineResult, type LogRequest } from '../../../storage/usage/log-formats.ts';

const real = (name: string) => readFileSync(new URL(`./fixtures/real/${name}`, import.meta.url), 'utf8');

function readAll(text: string) {
  const parser = createLogLineParser();
  const results: LineResult[] = text.split('\n').map((line) => parser.parse(line));
  const requests = results.flatMap((r) => (r.kind === 'request' ? [r.request] : []));
  const skipped = results.flatMap((r, i) => (r.kind === 'skipped' ? [`${i + 1}: ${r.reason}`] : []));
  return { format: parser.format, requests, skipped };
}

describe('S3 server access logs', () => {
  it('reads the DANDI "hard" lines: quotes inside fields, two spaces, IAM requesters, 206 and 304', () => {
    const { format, requests, skipped } = readAll(
      real('dandi-s3-log-extraction__2022-01-01-05-06-35-0123456789ABCDEF'),
    );
    expect(format).toBe('s3');
    expect(skipped).toEqual([]);
    expect(requests).toHaveLength(7);
    expect(requests[0]).toEqual<LogRequest>({
      time: Date.UTC(2022, 3, 6, 3, 5, 53),
      client: '192.0.2.0',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 ' +
        'Safari/537.36',
      method: 'GET',
      target: 'ds001161/task-effortmixedgambles_bold.json',
      targetKind: 'key',
      status: 200,
    });
    // A scanner's probe whose Request-URI and Referer are full of quotes.
    expect(requests[1]).toMatchObject({
      status: 404,
      target: '/',
      userAgent: expect.stringMatching(/^Mozilla.*Baiduspider/),
    });
    expect(requests.map((r) => r.status)).toEqual([200, 404, 304, 200, 304, 200, 206]);
    expect(requests[6].userAgent).toBe('Boto3/1.21.19 Python/3.9.10 Linux/4.4.0-1104-aws Botocore/1.24.19 Resource');
  });

  it('reads the "easy" lines and the oldest layout, which ends at the User-Agent', () => {
    const easy = readAll(real('dandi-s3-log-extraction__2020-01-01-05-06-35-0123456789ABCDEF'));
    expect(easy.requests.map((r) => [r.status, r.userAgent])).toEqual([
      [206, ''],
      [200, 'git-annex/10.20220927-geb4a544'],
      [200, 'git-annex/8.20211028-g1c76278'],
    ]);
    const old = readAll(real('matomo-log-analytics__s3.log'));
    expect(old.requests).toEqual([
      expect.objectContaining({
        time: Date.UTC(2012, 1, 10, 21, 42, 7),
        client: '1.2.3.4',
        method: 'GET',
        target: 'index',
        userAgent: expect.stringMatching(/Chrome\/17\.0\.963\.56 Safari\/535\.11$/),
      }),
    ]);
  });
});

describe('CloudFront standard logs', () => {
  it('reads the 24-field and 33-field layouts, the tab-separated header, and decodes the User-Agent', () => {
    for (const name of [
      'node-cloudfront-log-parser__web-1-0.txt',
      'node-cloudfront-log-parser__web-1-0-2019-12.txt',
      'aws-log-parser__cloudfront-multiple.log',
    ]) {
      const { format, requests, skipped } = readAll(real(name));
      expect(format, name).toBe('cloudfront');
      expect(skipped, name).toEqual([]);
      for (const r of requests) expect(r.userAgent, name).not.toMatch(/%20|%2520/);
    }
    const first = readAll(real('node-cloudfront-log-parser__web-1-0.txt')).requests;
    expect(first).toEqual([
      expect.objectContaining({
        time: Date.UTC(2014, 4, 23, 1, 13, 11),
        client: '192.0.2.10',
        target: '/view/my/file.html',
        status: 200,
        userAgent: expect.stringMatching(/^Mozilla\/5\.0 \(iPhone; CPU iPhone OS 10_2_1 like Mac OS X\)/),
      }),
      expect.objectContaining({ target: '/soundtrack/happy.mp3', status: 304 }),
    ]);
    const multiple = readAll(real('aws-log-parser__cloudfront-multiple.log')).requests;
    expect(multiple.map((r) => r.status)).toEqual([200, 200, 200, 502, 502, 502]);
    expect(multiple[5].userAgent).toBe('curl/7.55.1');
  });
});

describe('combined logs', () => {
  it('reads Apache lines with long queries, a comment, a blank line and a "-" size', () => {
    const { format, requests, skipped } = readAll(real('matomo-log-analytics__logs_to_tests.log'));
    expect(format).toBe('combined');
    expect(skipped).toEqual([]);
    expect(requests.map((r) => [r.method, r.target, r.status])).toEqual([
      ['GET', '/piwik.php', 200],
      ['GET', '/piwik.php', 200],
      ['GET', '/piwik.php', 200],
      ['HEAD', '/', 403],
    ]);
    expect(requests[3]).toMatchObject({ time: Date.UTC(2013, 9, 28, 23, 48, 46), userAgent: '' });
  });

  it('reads 1,000 nginx lines with an extra field and a +0330 offset', () => {
    const { requests, skipped } = readAll(real('lnav__logfile_shop_access_log.0'));
    expect(skipped).toEqual([]);
    expect(requests).toHaveLength(1000);
    expect(requests[0]).toMatchObject({
      time: Date.UTC(2019, 0, 22, 0, 26, 14),
      client: '54.36.149.41',
      userAgent: 'Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)',
    });
  });

  it('keeps a file to the format of its first line', () => {
    const parser = createLogLineParser();
    parser.parse(real('lnav__logfile_access_log.0').split('\n')[0]);
    const s3 = real('matomo-log-analytics__s3.log').trim();
    expect(parser.parse(s3)).toEqual({ kind: 'skipped', reason: 'not a combined log line' });
  });
});
