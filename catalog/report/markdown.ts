// Problems as GitHub-flavoured Markdown: the job summary ($GITHUB_STEP_SUMMARY) and the pull-request comment.
// Text from a submission (titles, paths, values quoted in messages) is untrusted: it is escaped so that it
// cannot add HTML, links, tables or @-mentions to a page GitHub renders.
import type { Problem } from '../problems.ts';

/**
 * Escapes text for a Markdown table cell. HTML-significant characters become entities (GitHub sanitises HTML,
 * but a stray `<details>` would still reshape the comment); Markdown punctuation is backslash-escaped
 * (GFM spec §2.4, "Backslash escapes": any ASCII punctuation may be escaped); '|' would end the cell (GFM §4.10);
 * '@' becomes an entity so that a value like '@org/team' never notifies anyone; line breaks become <br>.
 */
export function escapeMarkdown(text: string): string {
  // Backslashes first, entities after: an entity's own '#' and ';' must stay as they are.
  return text
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

export interface ReportCounts {
  /** Records checked. */
  checked: number;
  errors: number;
  warnings: number;
}

export function countProblems(problems: readonly Problem[], checked: number): ReportCounts {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { checked, errors, warnings: problems.length - errors };
}

export interface TableOptions {
  /** Problems shown at most (default 200); the rest are counted, so a huge report still fits GitHub's limits. */
  limit?: number;
  /** Turns a problem's file into the path shown (default: as it is). */
  filePath?: (problem: Problem) => string;
}

/** Problems grouped by file, one table per file: line, field, code, problem and fix. */
export function renderProblemTables(problems: readonly Problem[], options: TableOptions = {}): string {
  const limit = options.limit ?? 200;
  const shown = problems.slice(0, limit);
  const byFile = new Map<string, Problem[]>();
  for (const problem of shown) {
    const file = options.filePath ? options.filePath(problem) : problem.file;
    byFile.set(file, [...(byFile.get(file) ?? []), problem]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    const errors = list.filter((p) => p.severity === 'error').length;
    out.push(`### ${escapeMarkdown(file)}`, '', `${plural(errors, 'error')}, ${plural(list.length - errors, 'warning')}`, '');
    out.push('| Line | Field | Code | Problem | Fix |', '| ---: | --- | --- | --- | --- |');
    for (const p of list) {
      const code = p.severity === 'warning' ? `${p.code} (warning)` : p.code;
      out.push(`| ${p.line ?? 1}:${p.column ?? 1} | ${escapeMarkdown(`#${p.pointer}`)} | ${escapeMarkdown(code)} | ${escapeMarkdown(p.message)} | ${escapeMarkdown(p.fix ?? '')} |`);
    }
    out.push('');
  }
  if (problems.length > shown.length) out.push(`… and ${plural(problems.length - shown.length, 'more problem')}: run \`npx catalogue check\` for the full list.`, '');
  return out.join('\n');
}

export interface SummaryOptions extends TableOptions {
  /** Heading of the summary (default "Catalogue check"). */
  title?: string;
}

/** The Markdown job summary: a verdict with counts, then the problem tables. */
export function renderSummary(problems: readonly Problem[], counts: ReportCounts, options: SummaryOptions = {}): string {
  const verdict = counts.errors > 0 ? '❌ The check failed' : counts.warnings > 0 ? '⚠️ The check passed with warnings' : '✅ The check passed';
  const lines = [
    `## ${escapeMarkdown(options.title ?? 'Catalogue check')}`,
    '',
    `${verdict}: ${plural(counts.checked, 'record')} checked, ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}.`,
    '',
  ];
  if (problems.length > 0) lines.push(renderProblemTables(problems, options));
  return lines.join('\n');
}

/**
 * Hidden marker that identifies the bot's comment, so that each run updates the one comment instead of adding
 * another. An HTML comment: GitHub keeps it in the body and does not render it.
 */
export const commentMarker = '<!-- bioimage-catalogue:check -->';

export interface CommentOptions extends SummaryOptions {
  /** Link to the workflow run, shown at the end. Only https URLs are kept. */
  runUrl?: string;
  /** The commit checked, shown at the end (40 hex digits; anything else is dropped). */
  commit?: string;
}

/** Largest comment body GitHub accepts (characters): issue comment bodies are limited to 65536. */
export const maxCommentLength = 65_536;

/** The pull-request comment: the marker, the summary and where the full run is. Always under GitHub's limit. */
export function renderComment(problems: readonly Problem[], counts: ReportCounts, options: CommentOptions = {}): string {
  const footer: string[] = [];
  if (options.commit && /^[0-9a-f]{40}$/.test(options.commit)) footer.push(`Checked commit ${options.commit}.`);
  if (options.runUrl && /^https:\/\/[^\s()<>]+$/.test(options.runUrl)) footer.push(`[Workflow run and annotations](${options.runUrl}).`);
  footer.push('This comment is updated on every push to the pull request.');
  const compose = (limit: number) => [commentMarker, renderSummary(problems, counts, { ...options, limit }), '---', footer.join(' '), ''].join('\n');
  let limit = options.limit ?? 100;
  let body = compose(limit);
  while (body.length > maxCommentLength && limit > 0) {
    limit = Math.floor(limit / 2);
    body = compose(limit);
  }
  return body;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
