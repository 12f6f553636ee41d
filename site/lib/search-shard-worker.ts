// A lane of the search index (search-index.ts writeSearchIndex): a worker thread that builds its shards one after
// the other with a Pagefind service of its own (each thread loads the pagefind module afresh, so each lane
// starts its own service process), while other lanes build theirs.
import { parentPort, workerData } from 'node:worker_threads';
import type { CustomRecord } from 'pagefind';
import { writeShard } from './search-index.ts';

const { out, shards } = workerData as { out: string; shards: { i: number; shard: CustomRecord[] }[] };
try {
  for (const { i, shard } of shards) {
    const result = await writeShard(out, i, shard, (line) => parentPort!.postMessage({ log: line }));
    parentPort!.postMessage({ shard: result });
  }
  parentPort!.postMessage({ done: true });
} catch (error) {
  parentPort!.postMessage({ error: { message: (error as Error).message, code: (error as { code?: string }).code } });
}
