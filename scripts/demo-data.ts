// Writes the demo catalogue's data (catalog/demo/data.ts) from the command line.
//
//   npx node scripts/demo-data.ts                      write the files and their previews into data/buckets/local/
//   npx node scripts/demo-data.ts --write-manifests    measure the committed manifests again (files, image headers,
//                                                      previews) from the same plan
//   options: --bucket DIR (default data/buckets/local), --catalog DIR (default archive)
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeDemoData } from '../catalog/demo/data.ts';
import { drawDemoPreviews, writeMeasuredDemoManifests } from '../cli/demo-bucket.ts';

const usage = 'Usage: npx node scripts/demo-data.ts [--write-manifests] [--bucket DIR] [--catalog DIR]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'write-manifests': { type: 'boolean' },
        bucket: { type: 'string' },
        catalog: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values['write-manifests']) {
    const written = await writeMeasuredDemoManifests(resolve(values.catalog ?? 'archive'));
    console.log(`wrote ${written.length} manifests`);
    return 0;
  }
  const bucket = resolve(values.bucket ?? join('data', 'buckets', 'local'));
  const started = Date.now();
  const { files, bytes } = await writeDemoData(bucket);
  const pictures = await drawDemoPreviews(bucket, resolve(values.catalog ?? 'archive'));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `wrote ${files} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) and ${pictures} preview images to ${bucket} ` +
      `in ${seconds} s`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`demo-data: ${(error as Error).message}`);
      process.exitCode = 2;
    },
  );
}
