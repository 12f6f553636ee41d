// A worker thread of `loadPublishedLines`: inspects a slice of the records and sends back each published one
// as a JSON line (one string per record rather than the objects: structured-cloning 100k entries costs more
// than stringifying them where they were parsed, and a caller that writes them to a file never parses them).
import { parentPort, workerData } from 'node:worker_threads';
import type { RecordLocation } from './layout.ts';
import { inspectPublishedSlice, type KnownSource } from './load.ts';

const { root, today, items, known } = workerData as {
  root: string;
  today: string;
  items: RecordLocation[];
  known: Record<string, KnownSource>;
};
parentPort!.postMessage(inspectPublishedSlice(root, today, items, known));
