// Code that opens an OME-Zarr image where it lies, shown on its viewer page: Python, JavaScript (zarrita) and Fiji
// steps, plus links to Neuroglancer and the OME-NGFF validator. One template per language, so the tests run
// exactly the text the page shows (test/site/image-snippets.test.ts). Every URL goes into the code as a JSON string
// literal, which is also a valid Python and JavaScript string literal: nothing in it can end the string.

export interface SnippetImage {
  /** Public URL of the image's root folder, ending with '/'. */
  url: string;
  /** 2 for OME-NGFF 0.4 (Zarr v2), 3 for 0.5 (Zarr v3). */
  zarrVersion: 2 | 3;
  /** A short name for the image, e.g. its root folder's name. */
  name: string;
}

export interface Snippet {
  language: 'python' | 'javascript' | 'text';
  title: string;
  /** Shown above the code: what it needs, what it reads. */
  note: string;
  code: string;
}

const literal = (value: string) => JSON.stringify(value);

/**
 * ome-zarr-py's reader (OME-NGFF 0.4 and 0.5, over HTTP(S) through fsspec): the first node is the image, its
 * `data` a list of dask arrays, one per resolution level.
 */
export function omeZarrPySnippet(image: SnippetImage): Snippet {
  return {
    language: 'python',
    title: 'Python: ome-zarr',
    note: 'pip install ome-zarr (reads OME-NGFF 0.4 and 0.5; data is loaded lazily, level by level).',
    code: [
      'from ome_zarr.io import parse_url',
      'from ome_zarr.reader import Reader',
      '',
      `url = ${literal(image.url)}`,
      'image = next(iter(Reader(parse_url(url))()))',
      'levels = image.data  # one dask array per resolution level, full resolution first',
      'print(image.metadata["axes"], [level.shape for level in levels])',
      'smallest = levels[-1].compute()',
    ].join('\n'),
  };
}

/**
 * zarr 2 alone, no fsspec: a read-only store over HTTP(S) made with the standard library. zarr 2 reads Zarr v2
 * only, so this is given for OME-NGFF 0.4 images.
 */
export function zarrPythonSnippet(image: SnippetImage): Snippet | undefined {
  if (image.zarrVersion !== 2) return undefined;
  return {
    language: 'python',
    title: 'Python: zarr 2, standard library only',
    note: 'pip install "zarr<3" numpy (zarr 2 reads Zarr v2, that is OME-NGFF 0.4).',
    code: [
      'import urllib.error',
      'import urllib.request',
      'from collections.abc import Mapping',
      '',
      'import zarr',
      '',
      '',
      'class HTTPStore(Mapping):',
      '    """A read-only Zarr store: each key is one GET of url + key; a missing key is a 404."""',
      '',
      '    def __init__(self, url):',
      '        self.url = url if url.endswith("/") else url + "/"',
      '',
      '    def __getitem__(self, key):',
      '        try:',
      '            with urllib.request.urlopen(self.url + key, timeout=60) as response:',
      '                return response.read()',
      '        except urllib.error.HTTPError as error:',
      '            if error.code in (403, 404):',
      '                raise KeyError(key) from error',
      '            raise',
      '',
      '    def __iter__(self):',
      '        return iter(())',
      '',
      '    def __len__(self):',
      '        return 0',
      '',
      '',
      '# zarr 2 takes a plain mapping wrapped in its KVStore.',
      `root = zarr.open_group(zarr.storage.KVStore(HTTPStore(${literal(image.url)})), mode="r")`,
      'multiscale = root.attrs["multiscales"][0]',
      'levels = [root[dataset["path"]] for dataset in multiscale["datasets"]]',
      'axes = [axis["name"] for axis in multiscale["axes"]]',
      'print(axes, [level.shape for level in levels])',
      '# One plane of the smallest level: the first index of every axis but the last two (y, x).',
      'smallest = levels[-1]',
      'plane = smallest[(0,) * (smallest.ndim - 2)]',
      'print(plane.shape, plane.dtype, plane.min(), plane.max())',
    ].join('\n'),
  };
}

/** zarrita (Zarr v2 and v3) in a browser or Node: the multiscales, then one plane of the smallest level. */
export function zarritaSnippet(image: SnippetImage): Snippet {
  return {
    language: 'javascript',
    title: 'JavaScript: zarrita',
    note: 'npm install zarrita (reads Zarr v2 and v3, OME-NGFF 0.4 and 0.5; run as an ES module).',
    code: [
      'import * as zarr from "zarrita";',
      '',
      `const root = await zarr.open(new zarr.FetchStore(${literal(image.url)}), { kind: "group" });`,
      '// OME-NGFF 0.5 keeps its metadata under "ome"; 0.4 at the top of the attributes.',
      'const ome = root.attrs.ome ?? root.attrs;',
      'const multiscale = ome.multiscales[0];',
      'const levels = await Promise.all(',
      '  multiscale.datasets.map((d) => zarr.open(root.resolve(d.path), { kind: "array" })),',
      ');',
      'console.log(multiscale.axes.map((a) => a.name), levels.map((l) => l.shape));',
      '// One plane of the smallest level: index 0 on every axis but the last two (y, x).',
      'const smallest = levels.at(-1);',
      'const selection = smallest.shape.map((_, i) => (i < smallest.shape.length - 2 ? 0 : null));',
      'const plane = await zarr.get(smallest, selection);',
      'console.log(plane.shape, plane.data.length);',
    ].join('\n'),
  };
}

/** Fiji: MoBIE and the N5 plugins open OME-Zarr from a URL (steps, not code). */
export function fijiSnippet(image: SnippetImage): Snippet {
  return {
    language: 'text',
    title: 'Fiji',
    note: 'Both routes read the image from where it lies, level by level, without downloading it whole.',
    code: [
      'MoBIE (update site "MoBIE"):',
      '  Plugins › MoBIE › Open › Open OME-Zarr...',
      `  Image URI: ${image.url}`,
      '',
      'N5 plugins (included in Fiji):',
      '  File › Import › HDF5/N5/Zarr/OME-NGFF...',
      `  paste ${image.url}`,
      '  press "Detect datasets", pick a level or the multiscale group, then "OK"',
      '  (BigDataViewer: Plugins › BigDataViewer › HDF5/N5/Zarr/OME-NGFF Viewer, same address)',
    ].join('\n'),
  };
}

/** The snippets of a viewer page, in the order shown. */
export function imageSnippets(image: SnippetImage): Snippet[] {
  const zarr2 = zarrPythonSnippet(image);
  return [omeZarrPySnippet(image), ...(zarr2 ? [zarr2] : []), zarritaSnippet(image), fijiSnippet(image)];
}

/**
 * Neuroglancer's URL state is JSON after `#!` (neuroglancer docs, "URL state"); the `zarr://` data source reads
 * Zarr v2 and v3 and their OME-NGFF multiscales.
 */
export function neuroglancerUrl(image: SnippetImage): string {
  const state = { layers: [{ type: 'image', source: `zarr://${image.url}`, name: image.name }], layout: 'xy' };
  return `https://neuroglancer-demo.appspot.com/#!${encodeURIComponent(JSON.stringify(state))}`;
}

/** The OME-NGFF validator checks the image's metadata against the specification's JSON schemas in the browser. */
export function validatorUrl(image: SnippetImage): string {
  return `https://ome.github.io/ome-ngff-validator/?source=${encodeURIComponent(image.url)}`;
}
