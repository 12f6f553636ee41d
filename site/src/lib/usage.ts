// The usage counts of every mirror (<catalog>/usage/*.json), read once per build and shared by every page.
import { readMergedCounts, type MergedCounts } from '../../../storage/usage/merged-counts.ts';
import { siteSettings } from './data.ts';

let merged: Promise<MergedCounts> | undefined;

export function usageCounts(): Promise<MergedCounts> {
  merged ??= readMergedCounts(siteSettings().catalog);
  return merged;
}
