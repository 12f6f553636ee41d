// cli/errors.ts: every layer's error is a message and exit code 2; anything else is a bug and is not caught.
import { describe, expect, it } from 'vitest';
import { CatalogError, SourceFileError } from '../../catalog/errors.ts';
import { HttpError, OaiProtocolError } from '../../harvester/errors.ts';
import { ReleasedEntryError, SiteBuildError } from '../../site/lib/errors.ts';
import { MirrorConfigError, MissingCredentialsError, StorageError } from '../../storage/errors.ts';
import { EnvironmentError, UsageError } from '../../cli/command.ts';
import { reportError } from '../../cli/errors.ts';

describe('reportError', () => {
  it('shows the usage after a usage error', () => {
    const report = reportError(new UsageError('give one accession'));
    expect(report).toEqual({ exitCode: 2, message: 'give one accession', showUsage: true });
  });

  it('turns the base error of every layer, and its subclasses, into a message and exit code 2', () => {
    const errors = [
      new EnvironmentError('PORT_IN_USE', 'port 4321 is in use'),
      new CatalogError('REASON_TOO_SHORT', 'give a reason of at least 10 characters'),
      new StorageError('BAD_URL', 'not a URL'),
      new MirrorConfigError('MIRRORS_INVALID', 'storage/mirrors.yaml', 'mirrors is not a list', 2),
      new MissingCredentialsError('ebi-s3', 'EBI_S3_KEY'),
      new HttpError('TIMEOUT', 'timed out', { url: 'https://example.org/oai', status: null, attempt: 3 }),
      new OaiProtocolError('badArgument', 'no verb', 'https://example.org/oai'),
    ];
    for (const error of errors) {
      expect(reportError(error), error.name).toEqual({ exitCode: 2, message: error.message, showUsage: false });
    }
  });

  it('shows a file that cannot be read as its one problem line, with the place and the fix', () => {
    const error = new SourceFileError('YAML_SYNTAX', 'entry.yaml', 'bad indentation', {
      line: 3,
      column: 1,
      pointer: '/study',
      fix: 'indent with spaces',
    });
    const message = 'entry.yaml:3:1 #/study YAML_SYNTAX bad indentation Fix: indent with spaces';
    expect(reportError(error)).toEqual({ exitCode: 2, message, showUsage: false });
  });

  it('says that the site was not built when a build step fails', () => {
    const error = new SiteBuildError('STEP_FAILED', 'astro build exited with 1', 'tail of the output');
    const message = 'the site could not be built: astro build exited with 1';
    expect(reportError(error)).toEqual({ exitCode: 2, message, showUsage: false });
    expect(new ReleasedEntryError([])).toBeInstanceOf(SiteBuildError);
  });

  it('leaves a bug alone, so that it keeps its stack', () => {
    expect(reportError(new TypeError('undefined is not a function'))).toBeUndefined();
    expect(reportError(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))).toBeUndefined();
    expect(reportError('a string')).toBeUndefined();
  });
});
