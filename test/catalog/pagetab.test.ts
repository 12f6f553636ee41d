// Real BioImage Archive studies (PageTab JSON) through the converter: which convert to a valid entry, and for
// each that does not, the exact problems. Fixtures: test/catalog/fixtures/pagetab/{valid,invalid}/<case>/.
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { convertPageTab, type Scale } from '../../catalog/pagetab/convert.ts';
import { CatalogError } from '../../catalog/errors.ts';
import { checkCatalogue } from '../../catalog/check.ts';
import { parseSource } from '../../catalog/source.ts';
import { entryFindings } from '../../catalog/validate.ts';
import { renderYaml } from '../../catalog/write.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'pagetab');
const cli = join(import.meta.dirname, '..', '..', 'cli', 'catalogue.mjs');

interface Expected {
  why: string;
  scales: Scale[];
  errors: { code: string; pointer: string }[];
  warnings?: { code: string; pointer: string }[];
}

async function cases(kind: 'valid' | 'invalid') {
  const out: { name: string; study: string; expected: Expected }[] = [];
  for (const name of (await readdir(join(fixtures, kind))).sort()) {
    const folder = join(fixtures, kind, name);
    const study = (await readdir(folder)).find((f) => f !== 'expected.json' && f.endsWith('.json'))!;
    out.push({
      name,
      study: join(folder, study),
      expected: JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')),
    });
  }
  return out;
}

const unique = (items: { code: string; pointer: string }[]) =>
  [...new Set(items.map((i) => `${i.code} ${i.pointer}`))].sort();

async function convertFile(path: string, scales?: Scale[]) {
  return convertPageTab(JSON.parse(await readFile(path, 'utf8')), { scales });
}

/** Validates the entry as written to entry.yaml (YAML round trip), as a submission. */
function findings(entry: unknown) {
  const reparsed = parseSource('entry.yaml', renderYaml(entry)).data;
  return entryFindings(reparsed, { submission: true, folderName: 'imported-study' });
}

const valid = await cases('valid');
const invalid = await cases('invalid');
const temporary: string[] = [];
afterAll(async () => Promise.all(temporary.map((d) => rm(d, { recursive: true, force: true }))));

describe('real PageTab studies that convert to a valid entry', () => {
  it('has at least one such study', () => expect(valid.length).toBeGreaterThan(0));
  for (const c of valid) {
    it(`${c.name}: no errors once the scales are given`, async () => {
      const conversion = await convertFile(c.study, c.expected.scales);
      const result = findings(conversion.entry);
      expect(unique(result.filter((f) => f.severity === 'error'))).toEqual([]);
      expect(unique(result.filter((f) => f.severity === 'warning'))).toEqual(unique(c.expected.warnings ?? []));
    });
    it(`${c.name}: without --scale the entry lacks study.scales, because PageTab has no such field`, async () => {
      const result = findings((await convertFile(c.study)).entry);
      expect(unique(result.filter((f) => f.severity === 'error'))).toEqual(['FIELD_MISSING /study/scales']);
    });
  }

  it('keeps what S-BIAD1419 says and lists what it derived', async () => {
    const conversion = await convertFile(join(fixtures, 'valid', 'mouse-brain-autophagy', 'S-BIAD1419.json'), [
      'tissue',
    ]);
    const entry = conversion.entry as {
      study: {
        title: string;
        license: string;
        links: { url: string }[];
        publications: { doi: string; pubmedId: string }[];
      };
      acquisitions: { imagingMethod: { id: string } }[];
      biosamples: { organisms: { taxonId: string; commonName: string }[] }[];
    };
    expect(conversion.accession).toBe('S-BIAD1419');
    expect(conversion.template).toBe('BioImages.v4');
    expect(entry.study.title).toMatch(/^Longitudinal autophagy profiling of the mammalian brain/);
    expect(entry.study.license).toBe('CC-BY-4.0');
    expect(entry.study.publications[0]).toMatchObject({ doi: '10.1038/s44318-024-00241-y', pubmedId: '39367235' });
    expect(entry.study.links[0].url).toBe('https://doi.org/10.5281/zenodo.13304393');
    // One acquisition lists confocal and TEM: it becomes two acquisitions, one per method.
    expect(entry.acquisitions.map((a) => a.imagingMethod.id)).toEqual(['FBbi:00000251', 'FBbi:00000258']);
    expect(entry.biosamples[0].organisms[0]).toMatchObject({
      scientificName: 'Mus musculus',
      commonName: 'mouse',
      taxonId: 'NCBITaxon:10090',
    });
    expect(conversion.notes).toContain(
      "The organism 'Mus musculus' was given NCBITaxon:10090, looked up by its scientific name.",
    );
    expect(conversion.notes).toContain("The licence 'CC BY 4.0' was written as the SPDX id CC-BY-4.0.");
  });
});

describe('the converted entry.yaml of every real study', () => {
  // Pins the converter's output byte for byte: entry.yaml as import-pagetab writes it, and the notes it prints.
  for (const c of [
    ...valid.map((v) => ({ ...v, kind: 'valid' })),
    ...invalid.map((v) => ({ ...v, kind: 'invalid' })),
  ]) {
    it(`${c.kind}/${c.name}`, async () => {
      const conversion = await convertFile(c.study, c.expected.scales);
      const folder = join(fixtures, c.kind, c.name);
      await expect(renderYaml(conversion.entry)).toMatchFileSnapshot(join(folder, 'converted.yaml'));
      await expect(conversion.notes.map((n) => `${n}\n`).join('')).toMatchFileSnapshot(join(folder, 'notes.txt'));
    });
  }
});

describe('real PageTab studies that do not convert to a valid entry, and why', () => {
  for (const c of invalid) {
    it(`${c.name}: ${c.expected.why.slice(0, 80)}...`, async () => {
      const result = findings((await convertFile(c.study, c.expected.scales)).entry);
      expect(unique(result.filter((f) => f.severity === 'error'))).toEqual(unique(c.expected.errors));
      expect(unique(result.filter((f) => f.severity === 'warning'))).toEqual(unique(c.expected.warnings ?? []));
    });
  }

  it('never invents a missing value: no taxon id, licence or keywords appear that the study lacks', async () => {
    const dog = (
      await convertFile(join(fixtures, 'invalid', 'organism-without-taxon-id', 'S-BIAD1135.bia-curated-override.json'))
    ).entry as { biosamples: { organisms: Record<string, unknown>[] }[] };
    expect(dog.biosamples[0].organisms[0]).toEqual({ scientificName: 'Canis familiaris', commonName: 'dog' });
    const generic = (await convertFile(join(fixtures, 'invalid', 'default-template-not-rembi', 'S-BSST592.json')))
      .entry as { study: Record<string, unknown> };
    expect(generic.study).not.toHaveProperty('license');
    expect(generic.study).not.toHaveProperty('keywords');
    expect(generic).not.toHaveProperty('components');
  });

  it('reads the nested REMBI layout of older conversions, with their taxon ids', async () => {
    const conversion = await convertFile(join(fixtures, 'invalid', 'licence-missing', 'S-BIAD628.json'), ['organism']);
    const entry = conversion.entry as {
      components: { biosamples: string[]; acquisitions: string[]; analyses: string[] }[];
      biosamples: { organisms: { taxonId: string }[] }[];
      acquisitions: { imagingMethod: { id: string; label: string } }[];
    };
    expect(entry.components).toHaveLength(3);
    expect(
      entry.components.every(
        (c) => c.biosamples.length === 1 && c.acquisitions.length === 1 && c.analyses.length === 1,
      ),
    ).toBe(true);
    expect(entry.biosamples[0].organisms[0].taxonId).toBe('NCBITaxon:45351');
    expect(entry.acquisitions[0].imagingMethod).toEqual({
      id: 'FBbi:00000369',
      label: 'selective plane illumination microscopy',
    });
  });

  it('rejects JSON that is not a PageTab study', () => {
    for (const data of [null, [], 'text', { section: { type: 'Experiment' } }, { accno: 'S-X' }]) {
      expect(() => convertPageTab(data)).toThrow(CatalogError);
    }
  });

  it('survives hostile shapes without crashing', async () => {
    const hostile = {
      section: {
        type: 'Study',
        attributes: [{ name: 'Title', value: 42 }, null, { name: '__proto__', value: 'x' }],
        subsections: [
          [null, { type: 'Biosample', attributes: 'nope' }],
          7,
          {
            type: 'Study Component',
            subsections: [{ type: 'Associations', attributes: [{ name: 'Biosample', value: '../../etc' }] }],
          },
        ],
        links: [{ url: 'javascript:alert(1)' }],
      },
    };
    const conversion = convertPageTab(hostile, { scales: ['cell'] });
    const codes = findings(conversion.entry)
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.code} ${f.pointer}`);
    expect(codes).toContain('FORMAT_INVALID /study/links/0/url');
    expect(codes).toContain('REFERENCE_UNRESOLVED /components/0/biosamples/0');
    await expect(renderYaml(conversion.entry)).toMatchFileSnapshot(join(fixtures, 'hostile.converted.yaml'));
  });
  it('reads a role or association named after an Object property as unknown text', () => {
    const study = {
      type: 'Study',
      attributes: [{ name: 'Title', value: 'A study of constructors' }],
      subsections: [
        {
          type: 'Author',
          attributes: [
            { name: 'Name', value: 'Ada' },
            { name: 'Role', value: 'constructor' },
            { name: 'Role', value: 'toString' },
          ],
        },
        {
          type: 'Study Component',
          subsections: [
            {
              type: 'Associations',
              attributes: [
                { name: 'constructor', value: 'x' },
                { name: '__proto__', value: 'y' },
              ],
            },
          ],
        },
      ],
    };
    const conversion = convertPageTab({ section: study }, { scales: ['cell'] });
    expect(conversion.entry.study?.authors?.[0]?.roles ?? []).toEqual([]);
    expect(conversion.notes.filter((note) => note.includes("The role 'constructor'"))).toHaveLength(1);
  });
});

describe('catalogue import-pagetab', () => {
  it('writes a submission that `catalogue check` accepts once a manifest is added', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pagetab-'));
    temporary.push(root);
    const folder = join(root, 'submissions', 'mouse-brain-autophagy');
    const run = await execa(
      process.execPath,
      [
        cli,
        'import-pagetab',
        join(fixtures, 'valid', 'mouse-brain-autophagy', 'S-BIAD1419.json'),
        '--out',
        folder,
        '--scale',
        'tissue',
        '--scale',
        'cell',
        '--json',
      ],
      { reject: false },
    );
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ accession: 'S-BIAD1419', template: 'BioImages.v4', errors: 0, warnings: 1 });
    await writeFile(
      join(folder, 'manifest.json'),
      JSON.stringify({ schemaVersion: 1, location: { mirror: 'local', prefix: 'mouse-brain-autophagy/' }, files: [] }),
    );
    const checked = await checkCatalogue(root, { today: '2026-11-21' });
    expect(checked.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // A second run must not overwrite the entry without --force.
    const again = await execa(
      process.execPath,
      [cli, 'import-pagetab', join(fixtures, 'valid', 'mouse-brain-autophagy', 'S-BIAD1419.json'), '--out', folder],
      { reject: false },
    );
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force/);
  });

  it('writes an incomplete entry with one problem line per missing field, and exits 1', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pagetab-'));
    temporary.push(root);
    const folder = join(root, 'submissions', 'mdck-calcium');
    const run = await execa(
      process.execPath,
      [
        cli,
        'import-pagetab',
        join(fixtures, 'invalid', 'organism-without-taxon-id', 'S-BIAD1135.bia-curated-override.json'),
        '--out',
        folder,
        '--scale',
        'cell',
      ],
      { reject: false },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/entry\.yaml:\d+:\d+ #\/biosamples\/0\/organisms\/0\/taxonId FIELD_MISSING .*Fix: /);
    expect(run.stderr).toContain("note: The organism 'Canis familiaris (dog)' has no NCBI taxon id in the study");
    expect(await readFile(join(folder, 'entry.yaml'), 'utf8')).toContain('scientificName: Canis familiaris');
  });

  it('reports unreadable or non-PageTab input as a problem line, and bad arguments as usage errors', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pagetab-'));
    temporary.push(root);
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'broken.json'), '{"section": {');
    const broken = await execa(
      process.execPath,
      [cli, 'import-pagetab', join(root, 'broken.json'), '--out', join(root, 'submissions', 'broken-one')],
      { reject: false },
    );
    expect(broken.exitCode).toBe(1);
    expect(broken.stdout).toMatch(/broken\.json:1:\d+ # JSON_SYNTAX /);
    await writeFile(join(root, 'other.json'), '{"accno": "S-X", "section": {"type": "Experiment"}}');
    const other = await execa(
      process.execPath,
      [cli, 'import-pagetab', join(root, 'other.json'), '--out', join(root, 'submissions', 'other-one')],
      { reject: false },
    );
    expect(other.exitCode).toBe(1);
    expect(other.stdout).toContain('PAGETAB_NOT_A_STUDY');
    const usage = await execa(
      process.execPath,
      [cli, 'import-pagetab', join(root, 'other.json'), '--out', join(root, 'x'), '--scale', 'galaxy'],
      { reject: false },
    );
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain("--scale 'galaxy' is not one of");
    expect(`${broken.stderr}${other.stderr}${usage.stderr}`).not.toMatch(/\n\s+at /);
  });
});
