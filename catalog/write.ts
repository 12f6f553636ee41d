// Writing records: readable YAML for people, JSON for manifests and harvested records; always atomically.
import { stringify } from 'yaml';
import { writeFileAtomic } from './atomic-write.ts';

/** YAML as people write it: no anchors, no folded long lines, dates left as plain strings. */
export function renderYaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0, version: '1.2' });
}

export async function writeYamlFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, renderYaml(value));
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
