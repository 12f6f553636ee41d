// `catalogue report`: the pull-request check as CI shows it. The same check as `catalogue check`, rendered as
// GitHub Actions annotations on the exact lines, a Markdown job summary and the body of the pull-request comment.
import { appendFile, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { checkCatalogue } from '../../catalog/check.ts';
import { formatProblem, type Problem } from '../../catalog/problems.ts';
import { renderAnnotations } from '../../catalog/report/annotations.ts';
import { toCheckReport } from '../../catalog/report/check-report.ts';
import { countProblems, renderComment, renderSummary } from '../../catalog/report/markdown.ts';
import { defineCommand, EnvironmentError, UsageError, writeJson } from '../command.ts';

export default defineCommand({
  meta: {
    name: 'report',
    description: `
Runs the same check as \`catalogue check\` (the records the paths belong to, or every record when no path is
given, plus the catalogue-wide invariants) and reports it for CI: on stdout, one GitHub Actions workflow command
per problem (::error file=...,line=...::...), which GitHub shows on the exact line of the pull request.
Paths in annotations are relative to the working directory (run it from the repository root).
Exit code 0 when there is no error (warnings allowed), 1 otherwise.`,
  },
  args: {
    paths: {
      type: 'positional',
      multiple: true,
      description: 'files or folders of the records to check (default: all)',
    },
    'paths-from': {
      type: 'string',
      value: 'FILE',
      description:
        'more paths, one per line (e.g. `git diff --name-only`); an empty file checks only the\n' +
        'catalogue-wide invariants',
    },
    format: {
      type: 'string',
      value: 'annotations|plain',
      default: 'annotations',
      description: 'plain: the lines of `check` on stdout',
    },
    summary: { type: 'string', value: 'FILE', description: 'appends a Markdown summary (pass "$GITHUB_STEP_SUMMARY")' },
    comment: {
      type: 'string',
      value: 'FILE',
      description: 'writes the body of the pull-request comment (with its hidden marker)',
    },
    problems: {
      type: 'string',
      value: 'FILE',
      description:
        'writes the result as JSON (schemas/check-report.schema.json: counts and the first 500\n' +
        'problems), from which the comment workflow renders the pull-request comment',
    },
    'run-url': { type: 'string', value: 'URL', description: 'shown at the end of the comment' },
    commit: { type: 'string', value: 'SHA', description: 'shown at the end of the comment' },
  },
  async run({ values, positionals }, context) {
    if (values.format !== 'annotations' && values.format !== 'plain')
      throw new UsageError(`--format must be annotations or plain, not '${values.format}'`);
    const paths = [...positionals];
    let only: string[] | undefined = paths.length ? paths : undefined;
    if (values['paths-from'] !== undefined) {
      let text: string;
      try {
        text = await readFile(values['paths-from'], 'utf8');
      } catch (error) {
        throw new EnvironmentError(
          'PATHS_UNREADABLE',
          `cannot read --paths-from ${values['paths-from']}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      only = [
        ...paths,
        ...text
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      ];
    }

    const result = await checkCatalogue(context.catalog, { today: context.today, only });
    const counts = countProblems(result.problems, result.checked);
    const filePath = repositoryPath(context.catalog);

    if (context.json) {
      writeJson(context, { ...counts, problems: result.problems.map((p) => ({ ...p, file: filePath(p) })) });
    } else if (values.format === 'plain') {
      for (const problem of result.problems)
        context.stdout.write(formatProblem({ ...problem, file: filePath(problem) }) + '\n');
    } else {
      context.stdout.write(renderAnnotations(result.problems, { filePath }));
    }
    if (values.summary) await appendFile(values.summary, renderSummary(result.problems, counts, { filePath }) + '\n');
    if (values.comment) {
      await writeFileAtomic(
        values.comment,
        renderComment(result.problems, counts, { filePath, runUrl: values['run-url'], commit: values.commit }),
      );
    }
    if (values.problems)
      await writeFileAtomic(
        values.problems,
        JSON.stringify(toCheckReport(result.problems, counts, { filePath })) + '\n',
      );
    context.stderr.write(
      `${counts.checked} record(s) checked: ${counts.errors} error(s), ${counts.warnings} warning(s).\n`,
    );
    return counts.errors > 0 ? 1 : 0;
  },
});

/**
 * Problems name files relative to the catalogue; GitHub wants them relative to the repository root, which is
 * the working directory in CI. A path that was given outside the catalogue is reported as it was given.
 */
function repositoryPath(catalog: string): (problem: Problem) => string {
  const base = relative(process.cwd(), catalog);
  return (problem) => {
    if (problem.code === 'OUTSIDE_CATALOGUE' || isAbsolute(problem.file)) return problem.file;
    const path = join(base, problem.file);
    // Outside the working directory there is nothing GitHub can place it on; keep it readable anyway.
    return path.startsWith('..') ? resolve(catalog, problem.file) : path.split(sep).join('/');
  };
}
