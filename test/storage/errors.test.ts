// Storage errors are told apart by their code, never by their message.
import { describe, expect, it } from 'vitest';
import { errorCode, hasCode, SourceCorruptError, StorageError } from '../../storage/errors.ts';
import { describeCorruption } from '../../storage/replicate.ts';

describe('errorCode and hasCode', () => {
  it('are read from the error, whatever its message says', () => {
    const error = new StorageError('NOT_FOUND', 'MIRROR_UNAVAILABLE in the text');
    expect(errorCode(error)).toBe('NOT_FOUND');
    expect(hasCode(error, 'MIRROR_UNAVAILABLE')).toBe(false);
    expect(hasCode(error, 'MIRROR_UNAVAILABLE', 'NOT_FOUND')).toBe(true);
    expect(hasCode(Object.assign(new Error('x'), { code: 'ENOENT' }), 'ENOENT')).toBe(true);
    expect(errorCode(new Error('no code'))).toBeUndefined();
    expect(errorCode(undefined)).toBeUndefined();
  });
});

describe('SourceCorruptError', () => {
  it('carries what was expected and what was read, and each caller names whose copy it was', () => {
    const expected = { size: 3, sha256: 'a'.repeat(64) };
    const error = new SourceCorruptError('BIC0000013/x.tif', expected, { sha256: 'b'.repeat(64) }, 'm');
    expect(error).toMatchObject({ code: 'SOURCE_CORRUPT', key: 'BIC0000013/x.tif', expected });
    expect(describeCorruption("the partner's", error)).toBe(
      `the partner's copy has sha256 ${'b'.repeat(64)}, not the manifest's ${'a'.repeat(64)}; not replicated`,
    );
    const short = new SourceCorruptError('BIC0000013/x.tif', expected, {}, 'm');
    expect(describeCorruption("the source's", short)).toBe(
      "the source's copy of BIC0000013/x.tif does not have the manifest's 3 bytes; not replicated",
    );
  });
});
