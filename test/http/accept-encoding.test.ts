// Accept-Encoding as RFC 9110 §12.5.3 reads it, for the provider and the static site server.
import { describe, expect, it } from 'vitest';
import { acceptsEncoding } from '../../http/accept-encoding.ts';

describe('acceptsEncoding', () => {
  it('takes a coding that is listed, with or without a weight above 0, in any case and spacing', () => {
    expect(acceptsEncoding('gzip, deflate', 'gzip')).toBe(true);
    expect(acceptsEncoding('deflate ,GZIP;q=0.5', 'gzip')).toBe(true);
    expect(acceptsEncoding('zstd, gzip, deflate', 'zstd')).toBe(true);
    expect(acceptsEncoding(['deflate', 'zstd;q=1'], 'zstd')).toBe(true);
    expect(acceptsEncoding('x-gzip', 'gzip')).toBe(true);
  });

  it('refuses a coding weighted 0, one not listed, and every coding when there is no header', () => {
    expect(acceptsEncoding('zstd;q=0, gzip', 'zstd')).toBe(false);
    expect(acceptsEncoding('gzip; q=0.000', 'gzip')).toBe(false);
    expect(acceptsEncoding('gzipped, br', 'gzip')).toBe(false);
    expect(acceptsEncoding('identity', 'gzip')).toBe(false);
    expect(acceptsEncoding(undefined, 'gzip')).toBe(false);
    expect(acceptsEncoding('', 'zstd')).toBe(false);
  });

  it('lets "*" stand for the codings not listed, and a listed coding overrides it', () => {
    expect(acceptsEncoding('*', 'zstd')).toBe(true);
    expect(acceptsEncoding('*;q=0', 'gzip')).toBe(false);
    expect(acceptsEncoding('*;q=0, gzip', 'gzip')).toBe(true);
    expect(acceptsEncoding('gzip;q=0, *', 'gzip')).toBe(false);
  });
});
