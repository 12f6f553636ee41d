// A worker thread of `checkCatalogue`: inspects a slice of the records and sends back the problems and the few
// facts the catalogue-wide invariants need (not the records themselves: copying 100k entries between threads
// would cost more than checking them).
import { parentPort, workerData } from 'node:worker_threads';
import type { RecordLocation } from './layout.ts';
import { inspectSlice } from './inspect-slice.ts';

const { root, today, items } = workerData as { root: string; today: string; items: RecordLocation[] };
parentPort!.postMessage(inspectSlice(root, today, items));
