/* global document, location, history, matchMedia */
// The site's only script: search with Pagefind's JavaScript API over one or more index shards, with filters.
// Every piece of text from the index is put into the page with textContent, never as HTML, so entry text
// cannot inject markup. The page works from the address bar too: /search/?q=word&method=...&year=2024.
//
// At 100k entries (four shards) the first result must show within 150 ms of the debounce and 1 MB, so the
// script loads only what a query needs: no filter chunks until a filter is chosen or the filter panel is used
// (the catalogue's totals come with the page, data-totals), no preload of every prefix typed (only once the
// typist pauses, see schedulePreload), and fragments for the shown page only, each result shown as soon as its
// own fragment has arrived.
const root = document.getElementById('search');
const bundles = root.dataset.bundles.split(' ').filter(Boolean);
const facetNames = root.dataset.facets.split(' ');
const labels = JSON.parse(root.dataset.labels);
const input = document.getElementById('q');
const form = root.querySelector('form');
const filtersPanel = document.getElementById('filters-panel');
const filtersSummary = filtersPanel.querySelector('summary');
const filtersBox = document.getElementById('filters');
const resultsList = document.getElementById('results');
const status = document.getElementById('status');
const more = document.getElementById('more');
/** Pagefind UI's debounce, so that timings compare with Pagefind's own interface. */
const debounceMs = 300;
const pageSize = 10;
/** Values shown per filter; the browse pages list them all. */
const maxValues = 40;

const params = new URLSearchParams(location.search);
input.value = params.get('q') ?? '';
/** @type {Record<string, string[]>} */
const selected = Object.fromEntries(facetNames.map((name) => [name, params.getAll(name)]));

const pagefind = await import(new URL(`${bundles[0]}pagefind.js`, location.href).href);
await pagefind.options({ basePath: bundles[0], excerptLength: 24 });
for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle);
await pagefind.init();
/**
 * Every filter and value with its count over the whole catalogue: from the page (the most common values,
 * computed at build time) until Pagefind's filter chunks are loaded, then from Pagefind (every value).
 * @type {Record<string, Record<string, number>>}
 */
let allFilters = JSON.parse(root.dataset.totals);
/** True once every filter chunk of every shard is loaded: only then does a search count results per filter. */
let filtersLoaded = false;
let filtersLoading = null;

/** Loads every shard's filter chunks once (about 330 KB per 25k entries), for exact counts per search. */
function loadFilters() {
  filtersLoading ??= pagefind.filters().then((all) => {
    allFilters = all;
    filtersLoaded = true;
  });
  return filtersLoading;
}

let current = null;
let shown = 0;
let generation = 0;

function activeFilters() {
  const filters = {};
  for (const name of facetNames) if (selected[name].length) filters[name] = { any: selected[name] };
  return filters;
}

function syncAddress() {
  const next = new URLSearchParams();
  if (input.value.trim()) next.set('q', input.value.trim());
  for (const name of facetNames) for (const value of selected[name]) next.append(name, value);
  const query = next.toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

function decodeEntities(text) {
  return text.replace(
    /&(lt|gt|quot|#39|#x27|amp);/g,
    (_, e) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", amp: '&' })[e],
  );
}

/** Pagefind's excerpt marks hits with <mark>; rebuild it from text nodes and <mark> elements only. */
function excerptNode(excerpt) {
  const p = document.createElement('p');
  p.className = 'excerpt';
  excerpt.split(/(<mark>.*?<\/mark>)/g).forEach((part) => {
    const hit = /^<mark>(.*)<\/mark>$/.exec(part);
    if (hit) {
      const mark = document.createElement('mark');
      mark.textContent = decodeEntities(hit[1]);
      p.append(mark);
    } else if (part) p.append(document.createTextNode(decodeEntities(part)));
  });
  return p;
}

/**
 * Draws the filter panel. `counts` are a search's counts per filter and value; null means the counts are the
 * catalogue's (no search, or filter chunks not loaded yet, when a search cannot count per filter).
 */
function renderFilters(counts) {
  filtersBox.replaceChildren();
  const chosen = facetNames.reduce((n, name) => n + selected[name].length, 0);
  filtersSummary.textContent = chosen ? `Filters (${chosen} chosen)` : 'Filters';
  if (!counts && current) {
    const note = document.createElement('p');
    note.className = 'filters-note';
    note.textContent = 'Counts are for the whole catalogue until you choose a value.';
    filtersBox.append(note);
  }
  for (const name of facetNames) {
    const known = { ...(allFilters[name] ?? {}), ...(counts?.[name] ?? {}) };
    const values = Object.entries(known).map(([value, total]) => [
      value,
      counts?.[name] ? (counts[name][value] ?? 0) : total,
    ]);
    for (const value of selected[name]) if (!values.some(([v]) => v === value)) values.push([value, 0]);
    if (values.length === 0) continue;
    values.sort((a, b) => (name === 'year' ? b[0].localeCompare(a[0]) : b[1] - a[1] || a[0].localeCompare(b[0])));
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = labels[name] ?? name;
    fieldset.append(legend);
    for (const [value, count] of values.slice(0, maxValues)) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = name;
      box.value = value;
      box.checked = selected[name].includes(value);
      box.addEventListener('change', () => {
        selected[name] = box.checked ? [...selected[name], value] : selected[name].filter((v) => v !== value);
        run(0);
      });
      const text = document.createElement('span');
      text.textContent = `${value} (${count})`;
      label.append(box, text);
      fieldset.append(label);
    }
    filtersBox.append(fieldset);
  }
}

function resultItem(item) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = item.url;
  const accession = document.createElement('span');
  accession.className = 'accession';
  accession.textContent = item.meta.accession ?? '';
  a.append(accession, document.createTextNode(` ${item.meta.title ?? item.url}`));
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = [item.meta.organism, item.meta.method, item.meta.year].filter(Boolean).join(' · ');
  li.append(a, meta);
  // Labels ("Reference dataset", "Highly used") as badges; the text comes from the index, set as text only.
  for (const label of (item.meta.labels ?? '').split(', ').filter(Boolean)) {
    const badge = document.createElement('span');
    badge.className = `badge ${label === 'Reference dataset' ? 'badge-reference' : 'badge-highly-used'}`;
    badge.textContent = label;
    li.append(badge);
  }
  li.append(excerptNode(item.excerpt ?? ''));
  // The representative image's thumbnail, on a public mirror (the page's CSP allows its origin). Beside the title,
  // which names the link, it is decorative: alt="" (WCAG 2.2 H67).
  if (/^https?:\/\//i.test(item.meta.image ?? '')) {
    const img = document.createElement('img');
    img.className = 'thumbnail';
    img.src = item.meta.image;
    img.alt = '';
    img.width = Number(item.meta.image_width) || 64;
    img.height = Number(item.meta.image_height) || 64;
    img.decoding = 'async';
    li.classList.add('with-thumbnail');
    li.prepend(img);
  }
  return li;
}

/** Shows the next page of results: every fragment is asked for at once, each result shown in order as it comes. */
async function showMore() {
  if (!current) return;
  const mine = generation;
  const pending = current.results.slice(shown, shown + pageSize).map((r) => r.data());
  shown += pending.length;
  more.hidden = true;
  for (const item of pending) {
    const data = await item;
    if (mine !== generation) return;
    resultsList.append(resultItem(data));
  }
  more.hidden = shown >= current.results.length;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * What is asked of Pagefind for what was typed. An accession (or the start of one) is looked up as an exact
 * term: when a shard lacks a word, Pagefind 1.5 falls back to words sharing a shorter prefix, and for "bic…"
 * that is every accession of the shard (25,000 words, slow to search and every result junk; docs/site.md).
 * Quoted, the term is matched exactly (Pagefind's exact search), in the shard that has it and nowhere else.
 */
function queryFor(term) {
  return /^bic\d*$/i.test(term) ? `"${term}"` : term;
}

/**
 * While typing, the index chunks of the term are fetched once the typist pauses for `preloadPauseMs`, so they
 * arrive during the rest of the debounce. Pagefind's own debouncedSearch preloads at every keystroke instead:
 * "b", "bi", "bic"... each loads every chunk holding a word with that prefix ("bic" is every accession).
 */
const preloadPauseMs = 100;
/** Shorter terms are not preloaded: too many words start with them. */
const preloadMinLength = 3;
let preloadTimer = 0;

function schedulePreload() {
  clearTimeout(preloadTimer);
  const term = input.value.trim();
  if (term.length < preloadMinLength) return;
  preloadTimer = setTimeout(() => {
    if (input.value.trim() === term)
      pagefind.preload(queryFor(term), { filters: activeFilters() }).catch(() => undefined);
  }, preloadPauseMs);
}

/** Runs the search: `delay` ms of debounce while typing, 0 for a click or a submit. */
async function run(delay) {
  const mine = ++generation;
  // Our own debounce rather than Pagefind's debouncedSearch, which preloads the index for every prefix typed.
  if (delay) {
    await sleep(delay);
    if (mine !== generation) return;
  }
  const term = input.value.trim();
  const filters = activeFilters();
  syncAddress();
  if (!term && Object.keys(filters).length === 0) {
    current = null;
    resultsList.replaceChildren();
    more.hidden = true;
    status.textContent = 'Type a word, or choose a filter.';
    renderFilters(null);
    return;
  }
  // A chosen filter needs its chunks anyway; all of them are loaded then, so that every filter counts.
  if (Object.keys(filters).length > 0 && !filtersLoaded) {
    status.textContent = 'Loading filters…';
    await loadFilters();
    if (mine !== generation) return;
  }
  const search = await pagefind.search(term ? queryFor(term) : null, { filters });
  if (mine !== generation) return;
  current = search;
  shown = 0;
  resultsList.replaceChildren();
  const n = search.results.length;
  status.textContent = `${n.toLocaleString('en')} result${n === 1 ? '' : 's'}${term ? ` for “${term}”` : ''}.`;
  await showMore();
  if (mine !== generation) return;
  renderFilters(filtersLoaded ? search.filters : null);
}

/** Using the filter panel loads the filter chunks, then counts the current results per filter. */
async function prepareFilters() {
  if (filtersLoaded) return;
  await loadFilters();
  if (!current) return;
  const mine = generation;
  const term = input.value.trim();
  const counted = await pagefind.search(term ? queryFor(term) : null, { filters: activeFilters() });
  if (mine === generation) renderFilters(counted.filters);
}

input.addEventListener('input', () => {
  schedulePreload();
  run(debounceMs);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  run(0);
});
more.addEventListener('click', () => showMore());
filtersBox.addEventListener('pointerenter', () => prepareFilters(), { once: true });
filtersBox.addEventListener('focusin', () => prepareFilters(), { once: true });
filtersPanel.addEventListener('toggle', () => {
  if (filtersPanel.open) prepareFilters();
});
// On a phone's width (site.css's breakpoint) the panel, up to 40 values for each of six filters, would push the results
// below the first screen: it starts folded there, its summary saying how many values are chosen.
if (matchMedia('(max-width: 640px)').matches) filtersPanel.open = false;
filtersPanel.hidden = false;
run(0);
