import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { CatalogError, SourceFileError } from '../../catalog/errors.ts';
import { entryFile, submissionNamePattern } from '../../catalog/layout.ts';
import { convertPageTab, type Scale } from '../../catalog/pagetab/convert.ts';
import { countErrors, formatProblem, sourceProblem, type Problem } from '../../catalog/problems.ts';
import { maxSourceBytes, parseSource } from '../../catalog/source.ts';
import { entryFindings, locateFindings } from '../../catalog/validate.ts';
import { renderYaml } from '../../catalog/write.ts';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';

const scales: readonly Scale[] = ['molecule', 'cell', 'tissue', 'organism'];

export default defineCommand({
  meta: {
    name: 'import-pagetab',
    description: `
Reads a BioStudies PageTab JSON file (the BioImage Archive's BioImages.v4/v5 REMBI templates), writes
<folder>/entry.yaml and checks it as a submission. Nothing the study lacks is made up: a missing required field
stays missing and is reported as a problem line in the written entry.yaml, for you to fill in.

Prints what was derived (taxon ids looked up by scientific name, FBbi ids from method labels, SPDX licence ids)
as 'note:' lines on stderr. The manifest is not written: add <folder>/manifest.json for the data files.
Exit code 0 when the entry has no error, 1 when it has problems (it is still written) or the file is not a
PageTab study, 2 for wrong arguments.`,
  },
  args: {
    study: { type: 'positional', required: true, description: 'the PageTab JSON file (study.json)' },
    out: { type: 'string', value: 'DIR', description: 'the submission folder to write entry.yaml into (required)' },
    scale: {
      type: 'string',
      value: 'S',
      multiple: true,
      description:
        "the study's biological scale (molecule, cell, tissue, organism); repeat for several.\n" +
        'PageTab has no such field, so the entry has none unless you give it.',
    },
    force: { type: 'boolean', description: 'overwrite an existing entry.yaml' },
  },
  async run({ values, positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one PageTab JSON file');
    if (!values.out)
      throw new UsageError(
        '--out <submission folder> is required, e.g. --out archive/submissions/mouse-brain-autophagy',
      );
    const chosen = values.scale ?? [];
    for (const scale of chosen)
      if (!scales.includes(scale as Scale))
        throw new UsageError(`--scale '${scale}' is not one of: ${scales.join(', ')}`);

    const input = positionals[0];
    const out = resolve(values.out);
    const target = join(out, entryFile);
    if (
      !values.force &&
      (await stat(target).then(
        () => true,
        () => false,
      ))
    )
      throw new UsageError(`${relative(process.cwd(), target)} exists; pass --force to overwrite it`);

    let problems: Problem[];
    let conversion;
    try {
      const size = (await stat(input)).size;
      if (size > maxSourceBytes)
        throw new SourceFileError(
          'FILE_TOO_LARGE',
          input,
          `the file has ${size} bytes; at most ${maxSourceBytes} are accepted`,
        );
      const source = parseSource(input.endsWith('.json') ? input : `${input}.json`, await readFile(input, 'utf8'));
      conversion = convertPageTab(source.data, { scales: chosen as Scale[] });
    } catch (error) {
      const problem = inputProblem(input, error);
      if (context.json) writeJson(context, { written: null, problems: [problem] });
      else context.stdout.write(formatProblem(problem) + '\n');
      return 1;
    }

    const yaml = renderYaml(conversion.entry);
    await writeFileAtomic(target, yaml);
    const written = relative(process.cwd(), target) || target;
    const document = parseSource(written, yaml);
    problems = locateFindings(
      document,
      entryFindings(conversion.entry, { submission: true, folderName: basename(out) }),
    );
    if (!submissionNamePattern.test(basename(out))) {
      problems = [
        ...problems,
        {
          file: written,
          line: 1,
          column: 1,
          pointer: '',
          code: 'SUBMISSION_FOLDER_NAME',
          message: `'${basename(out)}' is not a valid submission folder name`,
          fix: "use 3 to 81 lower-case letters, digits and '-'",
          severity: 'error',
        },
      ];
    }
    const errors = countErrors(problems);
    if (context.json) {
      writeJson(context, {
        written,
        accession: conversion.accession,
        template: conversion.template,
        notes: conversion.notes,
        errors,
        warnings: problems.length - errors,
        problems,
      });
    } else {
      for (const note of conversion.notes) context.stderr.write(`note: ${note}\n`);
      for (const problem of problems) context.stdout.write(formatProblem(problem) + '\n');
      context.stderr.write(
        `wrote ${written} from ${conversion.accession ?? input} (template ${conversion.template ?? 'none'}): ` +
          `${errors} error(s), ${problems.length - errors} warning(s). Add manifest.json beside it before ` +
          `submitting.\n`,
      );
    }
    return errors > 0 ? 1 : 0;
  },
});

function inputProblem(file: string, error: unknown): Problem {
  if (error instanceof SourceFileError) return { ...sourceProblem(error), file };
  if (error instanceof CatalogError)
    return {
      file,
      pointer: '',
      code: error.code,
      message: error.message,
      fix:
        'export the study as PageTab JSON from BioStudies (https://www.ebi.ac.uk/biostudies/files/<ACCNO>/<ACCNO>' +
        '.json)',
      severity: 'error',
    };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')
    return { file, pointer: '', code: 'FILE_UNREADABLE', message: `cannot read the file (${code})`, severity: 'error' };
  throw error;
}
