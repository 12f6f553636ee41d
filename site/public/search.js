/* global document, location, history */
// The site's only script: search with Pagefind's JavaScript API over one or more index shards, with filters.
// Every piece of text from the index is put into the page with textContent, never as HTML, so entry text
// cannot inject markup. The page works from the address bar too: /search/?q=word&method=...&year=2024.
const root = document.getElementById('search');
const bundles = root.dataset.bundles.split(' ').filter(Boolean);
const facetNames = root.dataset.facets.split(' ');
const labels = JSON.parse(root.dataset.labels);
const input = document.getElementById('q');
const form = root.querySelector('form');
const filtersBox = document.getElementById('filters');
const resultsList = document.getElementById('results');
const status = document.getElementById('status');
const more = document.getElementById('more');
/** Pagefind UI's debounce, kept so that timings compare with SEARCH.md. */
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
// Every filter and value with its total count. Loading them first also makes later searches report counts for
// every filter: a search's `filters` holds only the filter chunks already loaded.
const allFilters = await pagefind.filters();

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
  return text.replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", amp: '&' })[e]);
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

function renderFilters(counts) {
  filtersBox.replaceChildren();
  for (const name of facetNames) {
    const known = { ...(allFilters[name] ?? {}), ...(counts?.[name] ?? {}) };
    const values = Object.entries(known).map(([value, total]) => [value, counts?.[name] ? (counts[name][value] ?? 0) : total]);
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

async function showMore() {
  if (!current) return;
  const mine = generation;
  const slice = current.results.slice(shown, shown + pageSize);
  const items = await Promise.all(slice.map((r) => r.data()));
  if (mine !== generation) return;
  for (const item of items) {
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
    li.append(a, meta, excerptNode(item.excerpt ?? ''));
    resultsList.append(li);
  }
  shown += items.length;
  more.hidden = shown >= current.results.length;
}

/** Runs the search: `delay` ms of debounce while typing, 0 for a click or a submit. */
async function run(delay) {
  const term = input.value.trim();
  const filters = activeFilters();
  syncAddress();
  const mine = ++generation;
  if (!term && Object.keys(filters).length === 0) {
    current = null;
    resultsList.replaceChildren();
    more.hidden = true;
    status.textContent = 'Type a word, or choose a filter.';
    renderFilters(allFilters);
    return;
  }
  const search = delay ? await pagefind.debouncedSearch(term || null, { filters }, delay) : await pagefind.search(term || null, { filters });
  if (search === null || mine !== generation) return;
  current = search;
  shown = 0;
  resultsList.replaceChildren();
  const n = search.results.length;
  status.textContent = `${n.toLocaleString('en')} result${n === 1 ? '' : 's'}${term ? ` for “${term}”` : ''}.`;
  renderFilters(search.filters);
  await showMore();
}

input.addEventListener('input', () => run(debounceMs));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  run(0);
});
more.addEventListener('click', () => showMore());
run(0);
