// What the demo's images show: synthetic scenes that look like microscopy, so that previews, thumbnails and viewers
// have something recognisable to draw. Each scene is drawn from a seeded generator (catalog/random.ts): the same
// pixels on every machine. Planes are Float64Arrays of brightness in [0, 1), row by row; the format writers
// (formats.ts) turn them into bytes.
//
// - Fluorescence: cells, each a nucleus inside a cell body, in three kinds of channel: a nuclear stain (round,
//   bright nuclei on a dark background), a cytoplasm/membrane stain (the cell bodies, a brighter rim, the nucleus
//   dark), and spots (small puncta in the cytoplasm). In a z-stack the cells lie in the middle planes; planes
//   above and below see them defocused (blurred edges, less peak brightness).
// - Electron microscopy: grainy grey with dark membranes: organelles (round vesicles, elongated mitochondria with
//   cristae) and a nuclear envelope arc.
// - A cryo-EM map: a density blob of a few subunits around the centre of a cube, zero outside.
// - Bright-field histology (haematoxylin and eosin): pink tissue with purple nuclei, in RGB.
import type { createRandom } from '../random.ts';

export type Random = ReturnType<typeof createRandom>;

export type FluorescenceChannel = 'nucleus' | 'cytoplasm' | 'spots';

export interface Cell {
  /** Centre in pixels. */
  x: number;
  y: number;
  /** Depth of the cell's focal plane, 0 (top of the stack) to 1 (bottom); cells lie in the middle planes. */
  z: number;
  /** Radii in pixels of the nucleus and of the cell body (along its long axis). */
  nucleus: number;
  body: number;
  /** Long axis over short axis of the cell body, and its direction in radians. */
  stretch: number;
  angle: number;
  brightness: number;
  /** Puncta, as offsets in pixels from the centre. */
  spots: { dx: number; dy: number }[];
}

/** Gaussian-like noise with mean 0 and standard deviation about `sd` (the sum of three uniforms). */
const noise = (random: Random, sd: number) => (random.next() + random.next() + random.next() - 1.5) * 2 * sd;

/** A smooth step from 0 (t ≪ 0) to 1 (t ≫ 0) over about `width` pixels: the edge of an object seen by a lens. */
const edge = (t: number, width: number) => 1 / (1 + Math.exp(-t / width));

/**
 * Cells scattered over a `width` × `height` field, not overlapping much (each new centre at least 1.6 nuclear
 * radii from the others, else it is tried again elsewhere). Nuclei are about 4 % of the shorter side across.
 */
export function makeCells(random: Random, width: number, height: number): Cell[] {
  const side = Math.min(width, height);
  const nucleus = Math.max(3, side * 0.045);
  const body = nucleus * 2.1;
  const target = Math.max(3, Math.round(((width * height) / (Math.PI * body * body)) * 0.55));
  const cells: Cell[] = [];
  for (let tries = 0; cells.length < target && tries < target * 20; tries++) {
    const x = random.next() * width;
    const y = random.next() * height;
    const n = nucleus * (0.8 + random.next() * 0.4);
    if (cells.some((c) => Math.hypot(c.x - x, c.y - y) < (c.nucleus + n) * 1.6)) continue;
    const b = body * (0.85 + random.next() * 0.4);
    cells.push({
      x,
      y,
      z: 0.35 + random.next() * 0.3,
      nucleus: n,
      body: b,
      stretch: 1 + random.next() * 0.6,
      angle: random.next() * Math.PI,
      brightness: 0.65 + random.next() * 0.3,
      spots: Array.from({ length: 3 + Math.floor(random.next() * 8) }, () => {
        const r = n * 1.2 + random.next() * (b - n * 1.3);
        const a = random.next() * 2 * Math.PI;
        return { dx: Math.cos(a) * r, dy: Math.sin(a) * r };
      }),
    });
  }
  return cells;
}

/**
 * One fluorescence plane of `cells` in `channel`, focused at depth `focus` (0 to 1; undefined for a single plane,
 * where every cell is in focus). Each cell is drawn only inside its bounding box; where cells overlap the brighter
 * wins, as with an opaque stain.
 */
export function fluorescencePlane(
  random: Random,
  cells: readonly Cell[],
  width: number,
  height: number,
  channel: FluorescenceChannel,
  focus?: number,
): Float64Array {
  const out = new Float64Array(width * height);
  for (const cell of cells) {
    // Defocus: a point out of focus spreads (edges soften) and its peak drops (the same light over a larger disc).
    const defocus = focus === undefined ? 0 : Math.abs(focus - cell.z) * 4;
    const blur = 0.8 + defocus * 3;
    const peak = cell.brightness / (1 + defocus * defocus);
    const reach = cell.body * cell.stretch + 4 * blur;
    const cos = Math.cos(cell.angle);
    const sin = Math.sin(cell.angle);
    const x0 = Math.max(0, Math.floor(cell.x - reach));
    const x1 = Math.min(width - 1, Math.ceil(cell.x + reach));
    const y0 = Math.max(0, Math.floor(cell.y - reach));
    const y1 = Math.min(height - 1, Math.ceil(cell.y + reach));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const dx = x - cell.x;
        const dy = y - cell.y;
        const inNucleus = edge(cell.nucleus - Math.hypot(dx, dy), blur);
        let v: number;
        if (channel === 'nucleus') {
          v = peak * inNucleus;
        } else if (channel === 'cytoplasm') {
          // The body is an ellipse: its radius along the long axis is `body`, across it body / stretch.
          const u = (dx * cos + dy * sin) / cell.stretch;
          const w = -dx * sin + dy * cos;
          const r = Math.hypot(u, w);
          const rim = Math.exp(-((r - cell.body) ** 2) / (2 * (1.2 + blur) ** 2));
          v = peak * (0.45 * edge(cell.body - r, blur) + 0.35 * rim) * (1 - 0.75 * inNucleus);
        } else {
          v = 0;
          const s2 = 2 * (1 + blur * 0.6) ** 2;
          for (const spot of cell.spots) v += peak * 0.9 * Math.exp(-((dx - spot.dx) ** 2 + (dy - spot.dy) ** 2) / s2);
        }
        const i = y * width + x;
        if (v > out[i]) out[i] = v;
      }
    }
  }
  // Camera: a dark offset, read noise everywhere, and shot noise that grows with the signal.
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    out[i] = clamp(0.04 + v + noise(random, 0.012 + 0.03 * Math.sqrt(v)));
  }
  return out;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 0.999 ? 0.999 : v);

interface Organelle {
  x: number;
  y: number;
  /** Semi-axes in pixels. */
  a: number;
  b: number;
  angle: number;
  kind: 'vesicle' | 'mitochondrion';
}

/**
 * An electron micrograph: a grey field with slow variation, dark membranes (vesicles, mitochondria with cristae,
 * an arc of nuclear envelope) and grain. Membranes are dark as stained or dense matter scatters electrons away.
 */
export function electronPlane(random: Random, width: number, height: number): Float64Array {
  const side = Math.min(width, height);
  const organelles: Organelle[] = [];
  const count = Math.max(4, Math.round((width * height) / (side * side * 0.06)));
  for (let i = 0; i < count; i++) {
    const mito = random.next() < 0.4;
    const a = side * (mito ? 0.1 + random.next() * 0.08 : 0.02 + random.next() * 0.05);
    organelles.push({
      x: random.next() * width,
      y: random.next() * height,
      a,
      b: mito ? a * (0.35 + random.next() * 0.15) : a * (0.85 + random.next() * 0.15),
      angle: random.next() * Math.PI,
      kind: mito ? 'mitochondrion' : 'vesicle',
    });
  }
  const envelope = { x: random.next() * width, y: -side * 0.3, r: side * (0.55 + random.next() * 0.2) };
  const waves = Array.from({ length: 3 }, () => ({
    fx: (random.next() * 3 * Math.PI) / width,
    fy: (random.next() * 3 * Math.PI) / height,
    phase: random.next() * 2 * Math.PI,
  }));
  const membrane = Math.max(1, side / 180);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0.62;
      for (const w of waves) v += 0.03 * Math.sin(x * w.fx + y * w.fy + w.phase);
      // The nuclear envelope: two membranes with a gap, the nucleoplasm beyond it a little darker.
      const e = Math.hypot(x - envelope.x, y - envelope.y) - envelope.r;
      v -= 0.25 * Math.exp(-(e * e) / (2 * membrane * membrane));
      v -= 0.25 * Math.exp(-((e + 3 * membrane) ** 2) / (2 * membrane * membrane));
      if (e < 0) v -= 0.08;
      out[y * width + x] = v;
    }
  }
  for (const o of organelles) {
    const reach = o.a + 4 * membrane;
    const cos = Math.cos(o.angle);
    const sin = Math.sin(o.angle);
    for (let y = Math.max(0, Math.floor(o.y - reach)); y <= Math.min(height - 1, Math.ceil(o.y + reach)); y++) {
      for (let x = Math.max(0, Math.floor(o.x - reach)); x <= Math.min(width - 1, Math.ceil(o.x + reach)); x++) {
        const u = (x - o.x) * cos + (y - o.y) * sin;
        const w = -(x - o.x) * sin + (y - o.y) * cos;
        const r = Math.hypot(u / o.a, w / o.b);
        // Distance to the membrane in pixels, about (r - 1) times the short semi-axis.
        const d = (r - 1) * o.b;
        let dv = -0.3 * Math.exp(-(d * d) / (2 * membrane * membrane));
        if (r < 1) {
          dv -= o.kind === 'mitochondrion' ? 0.12 : 0.04;
          // Cristae: dark folds across the long axis of a mitochondrion.
          if (o.kind === 'mitochondrion' && Math.sin((u / o.b) * 5) > 0.7) dv -= 0.15;
        }
        out[y * width + x] += dv;
      }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = clamp(out[i] + noise(random, 0.07));
  return out;
}

export interface Subunit {
  x: number;
  y: number;
  z: number;
  radius: number;
}

/** The subunits of a cryo-EM density: a ring of globules around the centre of the box, and one on top. */
export function makeDensity(random: Random): Subunit[] {
  const count = 5 + Math.floor(random.next() * 3);
  const subunits: Subunit[] = [];
  const turn = random.next() * 2 * Math.PI;
  for (let i = 0; i < count; i++) {
    const a = turn + (i / count) * 2 * Math.PI;
    subunits.push({
      x: 0.5 + Math.cos(a) * 0.16,
      y: 0.5 + Math.sin(a) * 0.16,
      z: 0.45 + (random.next() - 0.5) * 0.08,
      radius: 0.07 + random.next() * 0.03,
    });
  }
  subunits.push({ x: 0.5, y: 0.5, z: 0.62, radius: 0.09 });
  return subunits;
}

/**
 * One z-slice of a cryo-EM map of `subunits` in an n × n box: density as a sum of smooth balls, zero outside, with
 * a little noise (a reconstruction's residual). Dense is bright, as maps are displayed.
 */
export function densitySlice(random: Random, subunits: readonly Subunit[], nx: number, ny: number, z: number) {
  const out = new Float64Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      let v = 0;
      for (const s of subunits) {
        const d = Math.hypot(x / nx - s.x, y / ny - s.y, z - s.z);
        v += 0.9 * edge(s.radius - d, 0.012);
      }
      out[y * nx + x] = clamp(0.05 + Math.min(v, 0.9) + noise(random, 0.015));
    }
  }
  return out;
}

/**
 * A bright-field slide stained with haematoxylin and eosin, as RGB triples in [0, 1): pale background, pink
 * tissue (eosin) in a few lobes, purple-blue nuclei (haematoxylin) dense inside them.
 */
export function histologyPlane(random: Random, width: number, height: number): Float64Array {
  const side = Math.min(width, height);
  const lobes = Array.from({ length: 4 }, () => ({
    x: random.next() * width,
    y: random.next() * height,
    r: side * (0.25 + random.next() * 0.2),
  }));
  const tissueAt = (x: number, y: number) => Math.max(...lobes.map((l) => edge(l.r - Math.hypot(x - l.x, y - l.y), 4)));
  const cells = makeCells(random, width, height).flatMap((c) => [c, { ...c, x: c.x + c.body, y: c.y - c.nucleus }]);
  const nuclei = new Float64Array(width * height);
  for (const c of cells) {
    if (tissueAt(c.x, c.y) < 0.5) continue;
    const r = c.nucleus * 0.8;
    for (let y = Math.max(0, Math.floor(c.y - r - 2)); y <= Math.min(height - 1, Math.ceil(c.y + r + 2)); y++)
      for (let x = Math.max(0, Math.floor(c.x - r - 2)); x <= Math.min(width - 1, Math.ceil(c.x + r + 2)); x++) {
        // Chromatin is uneven: the stain varies from pixel to pixel inside the nucleus.
        const v = edge(r - Math.hypot(x - c.x, y - c.y), 0.8) * (0.6 + 0.3 * c.brightness + 0.15 * random.next());
        if (v > nuclei[y * width + x]) nuclei[y * width + x] = v;
      }
  }
  const out = new Float64Array(width * height * 3);
  const background = [0.94, 0.93, 0.95];
  const eosin = [0.93, 0.62, 0.78];
  const haematoxylin = [0.4, 0.28, 0.62];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const t = tissueAt(x, y) * (0.85 + 0.15 * random.next());
      const n = nuclei[i];
      for (let s = 0; s < 3; s++) {
        const tissue = background[s] + (eosin[s] - background[s]) * t;
        out[i * 3 + s] = clamp(tissue + (haematoxylin[s] - tissue) * n + noise(random, 0.015));
      }
    }
  }
  return out;
}
