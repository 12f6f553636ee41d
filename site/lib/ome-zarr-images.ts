// The OME-Zarr images of an entry, for the viewer pages (/entries/<ACCESSION>/images/<slug>/): the images
// submitted as OME-Zarr and those the catalogue converted (the manifest's `derived` items of kind ome-zarr), each
// with a stable slug and the public URL of its root on the first public mirror. Pure and browser-safe, like
// storage/downloads.ts whose URL rule it follows.
import type { ImageMetadata, Manifest, Mirror } from '../../schemas/index.ts';
import { checkObjectPath } from '../../catalog/checks/paths.ts';
import { publicMirrors } from '../../storage/downloads.ts';

export interface OmeZarrImage {
  /** URL-safe, stable name of the image inside its entry (see `imageSlug`). */
  slug: string;
  /** The image's root folder in the entry, e.g. `kidney_02.ome.zarr` or `.derived/ome-zarr/<sha>/...ome.zarr`. */
  root: string;
  /** The manifest path of the root metadata file (`zarr.json` for 0.5, `.zattrs` for 0.4). */
  metadataPath: string;
  /** Zarr v3 roots (zarr.json) hold OME-NGFF 0.5; Zarr v2 roots (.zattrs) hold 0.4 or earlier. */
  zarrVersion: 2 | 3;
  /** `submitted` by the authors, or `converted` by the catalogue from the submitted file `of`. */
  source: 'submitted' | 'converted';
  of?: string;
  /**
   * The Zarr metadata files of the image (`zarr.json`, `.zattrs`, `.zgroup`, `.zarray`), relative to the root: the
   * viewer asks only for these, not for the optional ones a reader would otherwise try and get a 404 for.
   */
  metadataKeys: string[];
  /** What the metadata reader found in the root metadata file, when it ran. */
  image?: ImageMetadata;
  /** Public URL of the root folder, ending with '/', on the first public mirror (primary first). */
  url?: string;
}

/**
 * A root metadata file is `<name>.zarr/zarr.json` or `<name>.zarr/.zattrs` directly under a folder named `.zarr`
 * (OME-NGFF 0.5 §"Image layout", 0.4 §"Image layout"): the arrays' own `zarr.json` files sit one level deeper.
 */
const rootMetadata = /^(.*\.zarr)\/(zarr\.json|\.zattrs)$/i;
const zarrMetadata = /(^|\/)(zarr\.json|\.zattrs|\.zgroup|\.zarray)$/;

function metadataKeysUnder(paths: readonly string[], root: string): string[] {
  const prefix = `${root}/`;
  return paths.filter((p) => p.startsWith(prefix) && zarrMetadata.test(p)).map((p) => p.slice(prefix.length));
}

/**
 * Each run of characters outside [A-Za-z0-9_] becomes one '-', none at either end:
 * `live/explant_01.ome.zarr` → `live-explant_01-ome-zarr`.
 */
export function slugOf(path: string): string {
  return path.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '') || 'image';
}

/** Each path segment percent-encoded (RFC 3986 §3.3), '/' kept between them, as storage/downloads.ts does. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function publicRootUrl(manifest: Manifest, mirrors: readonly Mirror[], root: string): string | undefined {
  const mirror = publicMirrors(mirrors)[0];
  if (!mirror?.publicBaseUrl || !/^https?:\/\//i.test(mirror.publicBaseUrl)) return undefined;
  const base = mirror.publicBaseUrl.endsWith('/') ? mirror.publicBaseUrl : `${mirror.publicBaseUrl}/`;
  return `${base}${encodeKey(manifest.location.prefix + root)}/`;
}

/**
 * The entry's OME-Zarr images in manifest order, submitted ones first. Slugs: a submitted image's root path, a
 * converted one's `converted-` + the path of the file it was made from, each through `slugOf`; a slug already
 * taken gets `-2`, `-3`... in that order. Plates (OME-NGFF §"plate") are left out: they are not one image.
 */
export function omeZarrImages(manifest: Manifest | undefined, mirrors: readonly Mirror[]): OmeZarrImage[] {
  if (!manifest) return [];
  const found: Omit<OmeZarrImage, 'slug' | 'metadataKeys'>[] = [];
  for (const file of manifest.files) {
    const match = rootMetadata.exec(file.path);
    if (!match || file.format !== 'OME-Zarr' || file.image?.isPlate || !checkObjectPath(file.path).ok) continue;
    found.push({
      root: match[1],
      metadataPath: file.path,
      zarrVersion: match[2] === 'zarr.json' ? 3 : 2,
      source: 'submitted',
      ...(file.image ? { image: file.image } : {}),
    });
  }
  for (const item of manifest.derived ?? []) {
    const match = rootMetadata.exec(item.path);
    if (item.kind !== 'ome-zarr' || !match || !checkObjectPath(item.path).ok) continue;
    const original = manifest.files.find((f) => f.path === item.of);
    found.push({
      root: match[1],
      metadataPath: item.path,
      zarrVersion: match[2] === 'zarr.json' ? 3 : 2,
      source: 'converted',
      of: item.of,
      ...(original?.image ? { image: original.image } : {}),
    });
  }
  const taken = new Set<string>();
  return found.map((image) => {
    const base = slugOf(image.source === 'submitted' ? image.root : `converted-${image.of}`);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    const url = publicRootUrl(manifest, mirrors, image.root);
    const paths = (image.source === 'submitted' ? manifest.files : (manifest.derived ?? [])).map((f) => f.path);
    return { slug, ...image, metadataKeys: metadataKeysUnder(paths, image.root), ...(url ? { url } : {}) };
  });
}

/**
 * The origins the viewer pages read images from: each public mirror's, for the page's CSP connect-src (CSP3
 * §6.1.2). Only http(s) origins; a mirror without a public URL is read by no page.
 */
export function mirrorOrigins(mirrors: readonly Mirror[]): string[] {
  const origins = new Set<string>();
  for (const mirror of publicMirrors(mirrors)) {
    try {
      const url = new URL(mirror.publicBaseUrl!);
      if (url.protocol === 'http:' || url.protocol === 'https:') origins.add(url.origin);
    } catch {
      // A publicBaseUrl that is not a URL links nothing; the mirrors check reports it.
    }
  }
  return [...origins];
}
