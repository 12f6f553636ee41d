// Search timing in Chromium for bench/site.bench.ts, usable on its own:
//   npx node bench/site-search.ts <built site> <word> [<word>...]
// Bytes are counted on the server side: Pagefind 1.5 fetches its wasm, index, filter and fragment files from a
// web worker, which a page's request listener (or a CDP session on the page) never sees. Every byte the static
// server writes to any socket is counted (headers included), so nothing the browser fetched escapes the count.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../site/lib/static-server.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The search page's debounce (site/public/search.js), subtracted for the "after the debounce" figure. */
export const debounceMs = 300;

export interface SearchTiming {
  word: string;
  /** Last keystroke to first result shown, ms. */
  latencyMs: number;
  /** Bytes the server sent: since page load for the first word, since the previous word's result otherwise. */
  bytes: number;
  /** Requests the server answered in the same span. */
  requests: number;
  /** The status line once the first result showed ("12 results for ..."). */
  status: string;
}

/** Opens the search page in Chromium, types `words` one after the other (20 ms between keys), and times each. */
export async function timeSearches(
  siteDir: string,
  words: string[],
  options: { log?: (line: string) => void } = {},
): Promise<SearchTiming[]> {
  const running = await startStaticServer({ root: siteDir, port: 0 });
  // Socket.bytesWritten counts what went to the kernel; sockets closed meanwhile are added to `closedBytes`.
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  let requests = 0;
  running.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  let inFlight = 0;
  let lastActivity = 0;
  running.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    requests++;
    inFlight++;
    lastActivity = Date.now();
    options.log?.(`GET ${request.url}`);
    response.on('close', () => {
      inFlight--;
      lastActivity = Date.now();
    });
  });
  /**
   * Waits until the server has answered everything and nothing new came for `quietMs` (the worker's requests
   * included).
   */
  const settled = async (quietMs = 300) => {
    while (inFlight > 0 || Date.now() - lastActivity < quietMs) await new Promise((r) => setTimeout(r, 50));
  };
  const sent = () => closedBytes + [...sockets].reduce((sum, s) => sum + s.bytesWritten, 0);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${running.url}search/`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Type'));
    const timings: SearchTiming[] = [];
    let since = 0;
    let requestsSince = 0;
    for (const word of words) {
      await page.locator('#q').fill('');
      await page.waitForTimeout(debounceMs * 2);
      await settled();
      // The first word counts everything since the page load (the page, the script, Pagefind's wasm...).
      if (timings.length > 0) {
        since = sent();
        requestsSince = requests;
      }
      await page.evaluate(() => {
        const w = window as unknown as { lastKey: number; firstResult: number };
        w.firstResult = 0;
        document.getElementById('q')!.addEventListener('input', () => (w.lastKey = performance.now()));
        new MutationObserver((_, observer) => {
          if (document.querySelector('#results li')) {
            w.firstResult = performance.now();
            observer.disconnect();
          }
        }).observe(document.getElementById('results')!, { childList: true });
      });
      options.log?.(`typing ${word}`);
      await page.locator('#q').pressSequentially(word, { delay: 20 });
      await page.waitForFunction(() => (window as unknown as { firstResult: number }).firstResult > 0, undefined, {
        timeout: 120_000,
      });
      const latencyMs = await page.evaluate(() => {
        const w = window as unknown as { lastKey: number; firstResult: number };
        return w.firstResult - w.lastKey;
      });
      // Let requests started for the shown results finish, so that they are counted for this word.
      await settled();
      const status = (await page.locator('#status').textContent()) ?? '';
      timings.push({ word, latencyMs, bytes: sent() - since, requests: requests - requestsSince, status });
    }
    return timings;
  } finally {
    await browser.close();
    await running.close();
  }
}

if (import.meta.main) {
  const [site, ...words] = process.argv.slice(2);
  if (!site || words.length === 0) {
    console.error('usage: npx node bench/site-search.ts <built site> <word> [<word>...]');
    process.exit(2);
  }
  const verbose = process.env.SITE_SEARCH_VERBOSE === '1';
  for (const t of await timeSearches(site, words, verbose ? { log: (line) => console.log(line) } : {})) {
    console.log(
      `${t.word}: ${t.latencyMs.toFixed(0)} ms from last keystroke, ${(t.bytes / 1024).toFixed(0)} KB in ` +
        `${t.requests} requests; ${t.status}`,
    );
  }
}
