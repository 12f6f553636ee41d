// The zstd codec of the viewer's Zarr reader (Zarr v3 core §"zstd", numcodecs' Zstd for v2), in place of numcodecs'
// own: that one is Emscripten with embind, whose glue builds functions from strings (`new Function`) when it
// starts, which the pages' CSP forbids (script-src without 'unsafe-eval', site/lib/csp.ts), so that no zstd chunk
// could be read. fzstd decodes in plain JavaScript, frames with or without their content size. The site's Vite
// configuration (site/astro.config.mjs) puts this module where zarrita imports `numcodecs/zstd`; it has the
// interface of numcodecs' codecs (numcodecs/dist/types.d.ts). The viewer only reads: encoding is refused.
import { decompress } from 'fzstd';

export default class Zstd {
  static codecId = 'zstd';
  readonly kind = 'bytes_to_bytes';

  static fromConfig(): Zstd {
    return new Zstd();
  }

  encode(): never {
    throw new Error('zstd: the viewer reads images only; it does not encode chunks');
  }

  decode(data: Uint8Array, out?: Uint8Array): Uint8Array {
    return decompress(data, out);
  }
}
