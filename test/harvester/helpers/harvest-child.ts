// Run as a child process by the kill -9 test: harvests argv[2] (base URL) into argv[3] (catalogue) as partner 'a'.
import { harvest } from '../../../harvester/harvest.ts';

await harvest({
  catalog: process.argv[3],
  target: { partner: 'a', baseUrl: process.argv[2], metadataPrefix: 'bic_full' },
});
