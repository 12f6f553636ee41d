// A lane of the search index (search-index.ts writeSearchIndex): a worker thread that builds its shards one after
// the other with a Pagefind service of its own (each thread loads the pagefind module afresh, so each lane
// starts its own service process), while other lanes build theirs.
import { parentPort, workerData } from 'node:worker_threads';
import { writeShard, type ShardInput } from './search-index.ts';

const { out, shards } = workerData as { out: string; shards: ShardInput[] };
try {
  for (const shard of shards) {
    const result = await writeShard(out, shard, (line) => parentPort!.postMessage({ log: line }));
    parentPort!.postMessage({ shard: result });
  }
  parentPort!.postMessage({ done: true });
} catch (error) {
  parentPort!.postMessage({ error: { message: (error as Error).message, code: (error as { code?: string }).code } });
}
