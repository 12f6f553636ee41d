// Astro project of the public site. `catalogue build` sets the environment (see site/lib/build-site.ts);
// running `astro build --root site` by hand needs SITE_CATALOGUE at least.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';

const baseUrl = new URL(process.env.SITE_BASE_URL || 'http://localhost:4321/');

export default defineConfig({
  site: baseUrl.origin,
  base: baseUrl.pathname,
  outDir: process.env.SITE_OUT_DIR || './dist',
  // A cache folder per build, so that two builds at once (tests, benchmarks) never share a data store.
  cacheDir: process.env.SITE_CACHE_DIR || './node_modules/.astro',
  output: 'static',
  trailingSlash: 'always',
  compressHTML: true,
  devToolbar: { enabled: false },
  // Stylesheets as files, never inline <style>: the CSP allows style from 'self' only.
  // Several pages in flight: rendering one takes well under a millisecond, writing it waits on the file system,
  // so with one at a time (Astro's default) the build mostly waits.
  build: { format: 'directory', inlineStylesheets: 'never', concurrency: 8 },
  vite: {
    // The search index and the data files are written into the same folder by another process at the same time.
    build: { emptyOutDir: false },
    // The viewer's zstd codec, one that runs under the pages' CSP (src/scripts/zstd-codec.ts says why), for every
    // copy of zarrita in the bundle (ome-zarr.js has its own).
    resolve: {
      alias: [
        {
          find: /^numcodecs\/zstd$/,
          replacement: fileURLToPath(new URL('./src/scripts/zstd-codec.ts', import.meta.url)),
        },
      ],
    },
  },
});
