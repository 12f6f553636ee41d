// Every `catalogue` command, by name, with its one-line summary and a lazy import: `catalogue --help` imports
// nothing, and a command imports only what it uses, so that `check` does not load the S3 SDK or Astro.
import type { Command } from '../command.ts';

export interface CommandEntry {
  /** One line for `catalogue --help`. */
  summary: string;
  load(): Promise<{ default: Command }>;
}

export const commands: Readonly<Record<string, CommandEntry>> = {
  accession: {
    summary: 'mint accessions for merged submissions (accession mint), or check one (accession verify ID)',
    load: () => import('./accession.ts'),
  },
  build: {
    summary: 'build the static site (pages, search index, JSON, feeds) from the catalogue',
    load: () => import('./build.ts'),
  },
  check: {
    summary: 'validate the catalogue, or only the entries the given paths belong to',
    load: () => import('./check.ts'),
  },
  'check-objects': {
    summary: "check that every object a submission's manifest lists is in its bucket with the right size",
    load: () => import('./check-objects.ts'),
  },
  convert: {
    summary: "derive OME-Zarr images (multiscale, chunked) from an entry's TIFF, PNG, JPEG and MRC files",
    load: () => import('./convert.ts'),
  },
  doi: {
    summary: 'register or update the DOIs of entries with DataCite (needs DATACITE_* in the environment)',
    load: () => import('./doi.ts'),
  },
  generate: {
    summary: 'write N valid synthetic entries into a new catalogue folder (demos, load tests)',
    load: () => import('./generate.ts'),
  },
  harvest: {
    summary: 'harvest partner archives over OAI-PMH into harvested/<partner>/ (once, or on their schedules)',
    load: () => import('./harvest.ts'),
  },
  'import-pagetab': {
    summary: 'convert a BioStudies PageTab JSON study (BioImage Archive) into a submission entry.yaml',
    load: () => import('./import-pagetab.ts'),
  },
  list: {
    summary: 'list the entries of the catalogue (live, embargoed, withdrawn, harvested)',
    load: () => import('./list.ts'),
  },
  manifest: {
    summary: 'create a manifest of a folder (sizes, sha256, formats) or verify a manifest against a mirror',
    load: () => import('./manifest.ts'),
  },
  mirror: {
    summary: 'replicate entry files between mirrors, audit their fixity, repair bad copies, show mirror status',
    load: () => import('./mirror.ts'),
  },
  oai: {
    summary: 'serve the catalogue over OAI-PMH 2.0 (oai_dc, oai_datacite, datacite, bic_full)',
    load: () => import('./oai.ts'),
  },
  report: {
    summary: 'check (changed) records and write GitHub annotations, a job summary and a pull-request comment',
    load: () => import('./report.ts'),
  },
  publish: {
    summary: 'put the built site into a mirror that serves it: changed files only, nothing ever missing (resumable)',
    load: () => import('./publish.ts'),
  },
  serve: {
    summary: 'serve the built site on http://localhost:4321/',
    load: () => import('./serve.ts'),
  },
  show: {
    summary: 'print one entry (or tombstone, or harvested record) by accession',
    load: () => import('./show.ts'),
  },
  start: {
    summary: 'the main job: build the site of the catalogue and serve it on http://localhost:4321/',
    load: () => import('./start.ts'),
  },
  previews: {
    summary: "make the thumbnails and previews of an entry's images on its mirror and list them in the manifest",
    load: () => import('./previews.ts'),
  },
  submit: {
    summary: 'validate a submission folder and open a pull request for it on GitHub (no git needed)',
    load: () => import('./submit.ts'),
  },
  upload: {
    summary: 'upload the files of an entry or a folder to a mirror, per the manifest (resumable)',
    load: () => import('./upload.ts'),
  },
  usage: {
    summary: "usage statistics: count a mirror's access logs (COUNTER), print the dataset report",
    load: () => import('./usage.ts'),
  },
  withdraw: {
    summary: 'withdraw an entry: it becomes a tombstone whose accession keeps resolving',
    load: () => import('./withdraw.ts'),
  },
};
