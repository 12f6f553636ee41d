// The COUNTER robots list as the counter reads it (storage/usage/robots.ts): the list shipped with the catalogue
// tells the robots of the real logs (fixtures/real) from the browsers in them, lets the tools researchers fetch data
// with through (COUNTER CoP for Research Data, "Internet Robots and Crawlers"), and a list with a broken item stops
// the run naming the item (docs/usage-statistics.md, "The robots list").
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportError } from '../../../cli/errors.ts';
import { createLogLineParser } from '../../../storage/usage/log-formats.ts';
import { createRobotFilter, loadRobotsList, robotsListFile } from '../../../storage/usage/robots.ts';

const realLogs = new URL('./fixtures/real/', import.meta.url);

/** Every User-Agent of the real logs, decoded as the counter sees it. */
const realUserAgents = new Set(
  readdirSync(realLogs)
    .filter((name) => !name.startsWith('LICENSE'))
    .flatMap((name) => {
      const parser = createLogLineParser();
      return readFileSync(new URL(name, realLogs), 'utf8')
        .split('\n')
        .flatMap((line) => {
          const result = parser.parse(line);
          return result.kind === 'request' ? [result.request.userAgent] : [];
        });
    }),
);

const robots = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/41.0.2272.96 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Googlebot-Image/1.0',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  'Mozilla/5.0 (compatible; DotBot/1.1; http://www.opensiteexplorer.org/dotbot, help@moz.com)',
  'Barkrowler/0.9 (+http://www.exensa.com/crawl)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/600.2.5 (KHTML, like Gecko) Version/8.0.2 ' +
    'Safari/600.2.5 (Applebot/0.1; +http://www.apple.com/go/applebot)',
];

const browsers = [
  'Mozilla/5.0 (Windows NT 6.1; rv:42.0) Gecko/20100101 Firefox/42.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 ' +
    'Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 ' +
    'Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 8.0.0; SAMSUNG SM-G950F Build/R16NW) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'SamsungBrowser/8.2 Chrome/63.0.3239.111 Mobile Safari/537.36',
  'Mozilla/5.0 (Android 8.0.0; Mobile; rv:62.0) Gecko/62.0 Firefox/62.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/535.11 (KHTML, like Gecko) Chrome/17.0.963.56 Safari/535.11',
];

/** Tools that fetch data for people; the list itself has `curl\/`, `python` and `bot` (in Boto3). */
const researchTools = [
  'curl/7.55.1',
  'Boto3/1.21.19 Python/3.9.10 Linux/4.4.0-1104-aws Botocore/1.24.19 Resource',
  'git-annex/10.20220927-geb4a544',
];

describe('the COUNTER robots list', () => {
  const filter = createRobotFilter();

  it('is read whole: every item of the shipped list is a pattern in use', () => {
    const items = JSON.parse(readFileSync(robotsListFile, 'utf8')) as unknown[];
    expect(items.length).toBeGreaterThan(300);
    expect(loadRobotsList()).toHaveLength(items.length);
    expect(filter.patterns).toBe(items.length);
  });

  it.each(robots)('matches the robot %s', (userAgent) => {
    expect(realUserAgents).toContain(userAgent);
    expect(filter.isRobot(userAgent)).toBe(true);
    expect(filter.isRobot(userAgent.toUpperCase())).toBe(true);
  });

  it.each(browsers)('does not match the browser %s', (userAgent) => {
    expect(realUserAgents).toContain(userAgent);
    expect(filter.isRobot(userAgent)).toBe(false);
    expect(filter.isMachine(userAgent)).toBe(false);
  });

  it.each(researchTools)('counts the research tool %s as machine access, not as a robot', (userAgent) => {
    expect(realUserAgents).toContain(userAgent);
    expect(filter.isRobot(userAgent)).toBe(false);
    expect(filter.isMachine(userAgent)).toBe(true);
  });

  it('holds the patterns that the research tools are let through despite', () => {
    const patterns = loadRobotsList().map((p) => new RegExp(p, 'i'));
    for (const userAgent of ['curl/7.55.1', researchTools[1]])
      expect(
        patterns.some((p) => p.test(userAgent)),
        userAgent,
      ).toBe(true);
  });
});

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('a broken robots list', () => {
  let work: string;
  const items = JSON.parse(readFileSync(robotsListFile, 'utf8')) as { pattern: string }[];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'robots-list-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  async function listFile(name: string, text: string): Promise<string> {
    const file = join(work, name);
    await writeFile(file, text);
    return file;
  }

  it('stops at a pattern that is not a regular expression, naming the file, the item and the pattern', async () => {
    const broken = items.map((item, i) => (i === 2 ? { ...item, pattern: 'crawl(er' } : item));
    const file = await listFile('invalid-pattern.json', JSON.stringify(broken, null, 2));
    const thrown = thrownBy(() => createRobotFilter(loadRobotsList(file)));
    expect(thrown).toMatchObject({ name: 'StorageError', code: 'ROBOTS_LIST_INVALID' });
    const message = (thrown as Error).message;
    expect(message).toContain(file);
    expect(message).toContain("item 3: the pattern 'crawl(er' is not a valid regular expression");
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError);
    // The command line shows it as a message with exit code 2, not as a crash with a stack trace.
    expect(reportError(thrown)).toEqual({ exitCode: 2, message, showUsage: false });
  });

  it.each([
    ['missing-pattern.json', JSON.stringify([{ pattern: 'bot' }, { last_changed: '2024-04-22' }]), 'item 2 has no'],
    ['not-a-list.json', JSON.stringify({ pattern: 'bot' }), 'not a JSON array'],
    ['not-json.json', '[{"pattern": "bot"},', 'not JSON'],
  ])('stops at %s', async (name, text, says) => {
    const file = await listFile(name, text);
    const thrown = thrownBy(() => loadRobotsList(file));
    expect(thrown).toMatchObject({ code: 'ROBOTS_LIST_INVALID' });
    expect((thrown as Error).message).toContain(says);
  });
});
