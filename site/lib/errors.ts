// Errors of the site build, apart from build-site.ts so that the command line can recognise them without loading
// the build.
import { formatProblem, type Problem } from '../../catalog/problems.ts';

/**
 * CATALOGUE_MISSING: the catalogue folder is not there; SITE_LOCKED: another build is writing the same site
 * (site-lock.ts); STEP_FAILED: a step of the build (Astro, Pagefind) failed;
 * RELEASED_ENTRY_INVALID: released entries would be missing from the site (ReleasedEntryError). PUBLISH_*: the
 * built site could not be published (publish-site.ts): no built site, a link in it, a read-only mirror, a record
 * that is not ours, objects the command did not publish in the way, files that could not be sent.
 */
export type SiteBuildErrorCode =
  | 'CATALOGUE_MISSING'
  | 'CACHE_UNWRITABLE'
  | 'SITE_LOCKED'
  | 'STEP_FAILED'
  | 'RELEASED_ENTRY_INVALID'
  | 'PUBLISH_NO_SITE'
  | 'PUBLISH_NOT_A_FILE'
  | 'PUBLISH_READ_ONLY'
  | 'PUBLISH_RECORD_INVALID'
  | 'PUBLISH_FOREIGN_OBJECTS'
  | 'PUBLISH_INCOMPLETE';

export class SiteBuildError extends Error {
  readonly code: SiteBuildErrorCode;
  /** The tail of the failing step's output. */
  readonly output: string;
  constructor(code: SiteBuildErrorCode, message: string, output = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SiteBuildError';
    this.code = code;
    this.output = output;
  }
}

/** The problem that heads each released entry's errors (site/lib/released.ts). */
const headlineCodes = new Set(['RELEASED_ENTRY_INVALID', 'RELEASED_ENTRY_MISSING', 'NO_LAST_GOOD_VERSION']);

/**
 * Released entries that the site would lose (they have errors and --publish-last-good was not given, or no saved
 * version of theirs passes the checks). `problems` holds one headline per entry, then its errors.
 */
export class ReleasedEntryError extends SiteBuildError {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    const headlines = problems.filter((p) => headlineCodes.has(p.code));
    const entries = `${headlines.length} released entr${headlines.length === 1 ? 'y' : 'ies'}`;
    super(
      'RELEASED_ENTRY_INVALID',
      `${entries} would be missing from the site:\n${problems.map(formatProblem).join('\n')}`,
    );
    this.name = 'ReleasedEntryError';
    this.problems = problems;
  }
}
