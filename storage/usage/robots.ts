// Which requests come from robots: the COUNTER robots list (atmire/COUNTER-Robots, kept as data beside this file,
// COUNTER_Robots_list.json; docs/usage-statistics.md says how to update it), matched case-insensitively as its
// README asks, except for the tools researchers use to fetch data. COUNTER CoP for Research
// Data, "Processing Rules", "Internet Robots and Crawlers": the list "MUST NOT include general purpose user agents
// that are commonly used by researchers (e.g., python, curl, wget, and Java)", so those are let through.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { messageOf, StorageError } from '../errors.ts';

/** The list shipped with the catalogue. */
export const robotsListFile = new URL('./COUNTER_Robots_list.json', import.meta.url);

/**
 * User-Agents that begin with the product token of a tool that fetches data for people (HTTP libraries, download
 * tools, S3 clients, the archives' own clients). Such a request is never a robot's, even where a pattern of the
 * list matches it (the list has `python`, `curl\/`, `Wget`, and `bot` matches Boto3): scripted access counts, as
 * COUNTER's access method "Machine" (CoP for Research Data, "Machine Access").
 */
const researchTools = [
  'curl',
  'wget',
  'python(?:-requests|-urllib|-httpx)?',
  'aiohttp',
  'httpx',
  'java',
  'okhttp',
  'axios',
  'libwww-perl',
  'aws-cli',
  'boto3',
  'botocore',
  'aws-sdk-[a-z]+',
  'rclone',
  'git-annex',
  'go-http-client',
  'node-fetch',
  'undici',
  'datalad',
  'dandi',
  'fsspec',
  's3fs',
  'zarr(?:-python)?',
  'napari',
  'fiji',
  'imagej',
  'omero',
];
export const researchToolPattern = new RegExp(`^(?:${researchTools.join('|')})\\b`, 'i');

export interface RobotFilter {
  /** True when the User-Agent is a robot's: the request is not counted. */
  isRobot(userAgent: string): boolean;
  /** True when the User-Agent is a script's or a download tool's (access method Machine). */
  isMachine(userAgent: string): boolean;
  /** How many patterns of the list are in use. */
  readonly patterns: number;
}

/**
 * Reads a COUNTER robots list (`[{ "pattern": "...", ... }]`). `source` names the list in errors. Throws a
 * `ROBOTS_LIST_INVALID` error naming the item (counted from 1) when the list is not JSON, not an array, or holds an
 * item without a string pattern or with a pattern that is not a valid regular expression: a run that dropped the
 * pattern would count that robot's requests (docs/usage-statistics.md, "The robots list").
 */
export function readRobotsList(text: string, source = 'the COUNTER robots list'): string[] {
  const invalid = (message: string, cause?: unknown) =>
    new StorageError(
      'ROBOTS_LIST_INVALID',
      `${source}: ${message}. Fix: correct it, or restore the list from its latest release ` +
        '(docs/usage-statistics.md, "The robots list")',
      { cause },
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(`not JSON (${messageOf(error)})`, error);
  }
  if (!Array.isArray(data)) throw invalid('not a JSON array of {"pattern": ...} items');
  return data.map((item, i) => {
    const pattern = (item as { pattern?: unknown } | null)?.pattern;
    if (typeof pattern !== 'string') throw invalid(`item ${i + 1} has no string pattern`);
    try {
      new RegExp(pattern, 'i');
    } catch (error) {
      throw invalid(
        `item ${i + 1}: the pattern '${pattern}' is not a valid regular expression (${messageOf(error)})`,
        error,
      );
    }
    return pattern;
  });
}

/** How many verdicts are remembered: User-Agents repeat, and matching 300 patterns costs microseconds. */
const cacheLimit = 50_000;

export function createRobotFilter(patterns: readonly string[] = loadRobotsList()): RobotFilter {
  // One alternation: the regex engine tries every pattern in one pass over the string.
  const robot = new RegExp(patterns.map((p) => `(?:${p})`).join('|'), 'i');
  const verdicts = new Map<string, boolean>();
  return {
    isRobot(userAgent) {
      let verdict = verdicts.get(userAgent);
      if (verdict === undefined) {
        verdict = !researchToolPattern.test(userAgent) && robot.test(userAgent);
        if (verdicts.size >= cacheLimit) verdicts.clear();
        verdicts.set(userAgent, verdict);
      }
      return verdict;
    },
    isMachine: (userAgent) => researchToolPattern.test(userAgent),
    patterns: patterns.length,
  };
}

export function loadRobotsList(file: URL | string = robotsListFile): string[] {
  return readRobotsList(readFileSync(file, 'utf8'), file instanceof URL ? fileURLToPath(file) : file);
}
