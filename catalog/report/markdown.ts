// Problems as GitHub-flavoured Markdown: the job summary ($GITHUB_STEP_SUMMARY) and the pull-request comment.
// Text from a submission (titles, paths, values quoted in messages) is untrusted: every such string is shown
// in a code span, the one place where GitHub adds nothing to it: no HTML, links, images or emphasis (GFM spec
// §6.1, "Code spans": the contents are literal), and none of the references GitHub adds after rendering
// (@-mentions, #123 issue links, commit ids), which skip text inside <code>.
import type { Problem } from '../problems.ts';

/**
 * Escapes text for a Markdown table cell. HTML-significant characters become entities (GitHub sanitises HTML,
 * but a stray `<details>` would still reshape the comment); Markdown punctuation is backslash-escaped
 * (GFM spec §2.4, "Backslash escapes": any ASCII punctuation may be escaped); '|' would end the cell (GFM §4.10);
 * '@' is followed by a zero-width space so that '@org/team' never notifies anyone (GitHub finds mentions in the
 * rendered text, where an entity such as '&#64;' is already '@' again); line breaks become <br>.
 */
export function escapeMarkdown(text: string): string {
  // Backslashes first, entities after: an entity's own '#' and ';' must stay as they are.
  return text
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200B')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/**
 * Shows untrusted text literally, as one code span that fits a table cell. The fence is one backtick longer
 * than the longest run of backticks inside, so the text cannot close it (GFM §6.1); a space pads each side
 * (one is stripped from each, so a text that starts or ends with a backtick stays whole). '|' is escaped,
 * which GFM §4.10 requires even inside a code span of a table cell. Line breaks become ' ⏎ ' and other
 * control, line-separator and bidirectional-override characters become U+FFFD, so that the text stays on its
 * row and reads in the order it is stored (Unicode TR #9; CVE-2021-42574, "Trojan Source").
 */
export function codeSpan(text: string): string {
  const shown = text
    .replace(/\r\n|\r|\n/g, ' ⏎ ')
    .replace(/\t/g, ' ')
    .replace(/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, '\uFFFD')
    .replace(/\|/g, '\\|');
  if (shown.trim() === '') return shown === '' ? '' : '`\u00A0`';
  const longest = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${shown} ${fence}`;
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
  /** How many problems there are in all, when `problems` is only the first of them (default: its length). */
  total?: number;
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
    out.push(`### ${codeSpan(file)}`, '', `${plural(errors, 'error')}, ${plural(list.length - errors, 'warning')}`, '');
    out.push('| Line | Field | Code | Problem | Fix |', '| ---: | --- | --- | --- | --- |');
    for (const p of list) {
      const where = `${position(p.line)}:${position(p.column)}`;
      const code = p.severity === 'warning' ? `${codeSpan(p.code)} (warning)` : codeSpan(p.code);
      out.push(
        `| ${where} | ${codeSpan(`#${p.pointer}`)} | ${code} | ${codeSpan(p.message)} | ${codeSpan(p.fix ?? '')} |`,
      );
    }
    out.push('');
  }
  const total = Math.max(options.total ?? 0, problems.length);
  if (total > shown.length)
    out.push(
      `… and ${plural(total - shown.length, 'more problem')}: run \`npx catalogue check\` for the full list.`,
      '',
    );
  return out.join('\n');
}

export interface SummaryOptions extends TableOptions {
  /** Heading of the summary (default "Catalogue check"). */
  title?: string;
}

/** The Markdown job summary: a verdict with counts, then the problem tables. */
export function renderSummary(
  problems: readonly Problem[],
  counts: ReportCounts,
  options: SummaryOptions = {},
): string {
  const verdict =
    counts.errors > 0
      ? '❌ The check failed'
      : counts.warnings > 0
        ? '⚠️ The check passed with warnings'
        : '✅ The check passed';
  const lines = [
    `## ${escapeMarkdown(options.title ?? 'Catalogue check')}`,
    '',
    `${verdict}: ${plural(counts.checked, 'record')} checked, ` +
      `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}.`,
    '',
  ];
  if (problems.length > 0)
    lines.push(renderProblemTables(problems, { total: counts.errors + counts.warnings, ...options }));
  return lines.join('\n');
}

/**
 * Hidden marker that identifies the bot's comment, so that each run updates the one comment instead of adding
 * another. An HTML comment: GitHub keeps it in the body and does not render it.
 */
export const commentMarker = '<!-- bioimage-catalogue:check -->';

export interface CommentOptions extends SummaryOptions {
  /** Link to the workflow run, shown at the end. Only plain https URLs (host, path) are kept. */
  runUrl?: string;
  /** The commit checked, shown at the end (40 hex digits; anything else is dropped). */
  commit?: string;
}

/** Largest comment body GitHub accepts (characters): issue comment bodies are limited to 65536. */
export const maxCommentLength = 65_536;

/** The pull-request comment: the marker, the summary and where the full run is. Always under GitHub's limit. */
export function renderComment(
  problems: readonly Problem[],
  counts: ReportCounts,
  options: CommentOptions = {},
): string {
  const footer: string[] = [];
  if (options.commit && /^[0-9a-f]{40}$/.test(options.commit)) footer.push(`Checked commit ${options.commit}.`);
  // Host and path characters only: nothing that could end the link's destination or start Markdown.
  if (options.runUrl && /^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/[A-Za-z0-9._~/%-]*$/.test(options.runUrl))
    footer.push(`[Workflow run and annotations](${options.runUrl}).`);
  footer.push('This comment is updated on every push to the pull request.');
  const compose = (limit: number) =>
    [commentMarker, renderSummary(problems, counts, { ...options, limit }), '---', footer.join(' '), ''].join('\n');
  let limit = options.limit ?? 100;
  let body = compose(limit);
  while (body.length > maxCommentLength && limit > 0) {
    limit = Math.floor(limit / 2);
    body = compose(limit);
  }
  return body;
}

/** A line or column as digits only, whatever the problem holds (1 when there is none). */
function position(value: number | undefined): number {
  return Number.isSafeInteger(value) && value! >= 1 ? value! : 1;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
