// Which scene (scenes.ts) each planned image file shows, and its channels: a multichannel fluorescence file has a
// nuclear stain, a cytoplasm/membrane stain and a spot channel; a 16-bit TIFF series is a fluorescence time-lapse;
// 8-bit grey TIFFs and micrographs are electron (or X-ray) images; cubic MRC volumes are cryo-EM maps; RGB TIFFs
// are stained slides; PNG frames are phase contrast.
import type { FileSpec } from './plan.ts';
import type { PlaneSource } from './formats.ts';
import {
  densitySlice,
  electronPlane,
  fluorescencePlane,
  histologyPlane,
  makeCells,
  makeDensity,
  type Cell,
  type FluorescenceChannel,
  type Random,
} from './scenes.ts';

export interface DemoChannel {
  name: string;
  /** Display colour, RRGGBB. */
  color: string;
  stain: FluorescenceChannel;
}

/** The channels of a multichannel fluorescence file, in file order (OME-XML Channel, OME-NGFF omero.channels). */
const fluorophores: readonly DemoChannel[] = [
  { name: 'DAPI', color: '0000FF', stain: 'nucleus' },
  { name: 'GFP', color: '00FF00', stain: 'cytoplasm' },
  { name: 'mCherry', color: 'FF0000', stain: 'spots' },
  { name: 'Cy5', color: 'FF00FF', stain: 'cytoplasm' },
];

/** A single-channel fluorescence stack shows nuclei, as live-imaging reporters (H2B-GFP) do. */
const nuclearReporter: DemoChannel = { name: 'H2B-GFP', color: '00FF00', stain: 'nucleus' };

export function channelsOf(count: number): DemoChannel[] {
  return count === 1 ? [nuclearReporter] : fluorophores.slice(0, count).map((c) => ({ ...c }));
}

/** Depth of plane `z` of `planes`, 0 to 1 (undefined for a single plane: all in focus). */
const depth = (z: number, planes: number) => (planes > 1 ? z / (planes - 1) : undefined);

/** The cells of a time-lapse frame: each drifts a little along its long axis, half a pixel per frame. */
const drifted = (cells: readonly Cell[], frame: number): Cell[] =>
  cells.map((c) => ({ ...c, x: c.x + Math.cos(c.angle) * frame * 0.5, y: c.y + Math.sin(c.angle) * frame * 0.5 }));

/** Frames of one micrograph (a movie, a tilt series, a tomogram): the same field, fresh grain on each. */
function electronFrames(random: Random, width: number, height: number): PlaneSource {
  const base = electronPlane(random, width, height);
  return (index) => {
    if (index === 0) return base;
    const frame = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++)
      frame[i] = Math.min(0.999, Math.max(0, base[i] + (random.next() - 0.5) * 0.12));
    return frame;
  };
}

/** Phase contrast: cells darker than the medium, with a bright halo at their edge (from the cytoplasm scene). */
function phaseContrast(random: Random, width: number, height: number): Float64Array {
  const cells = makeCells(random, width, height);
  const body = fluorescencePlane(random, cells, width, height, 'cytoplasm');
  return body.map((v) => Math.min(0.999, Math.max(0, 0.55 - 0.9 * (v - 0.04))));
}

/**
 * The planes of an image file of the plan. Planes are made when the writer asks for them, in its order (every
 * writer asks once per plane), so a file never holds more than its own planes in memory.
 */
export function planesOf(random: Random, spec: FileSpec): PlaneSource {
  switch (spec.kind) {
    case 'ome-tiff': {
      // DimensionOrder XYZCT: page p is plane z = p mod Z of channel c = floor(p / Z) (OME-TIFF specification).
      const cells = makeCells(random, spec.width, spec.height);
      const channels = channelsOf(spec.c);
      return (page) =>
        fluorescencePlane(
          random,
          cells,
          spec.width,
          spec.height,
          channels[Math.floor(page / spec.z)].stain,
          depth(page % spec.z, spec.z),
        );
    }
    case 'ome-zarr': {
      const [c, z, y, x] = spec.shape;
      const cells = makeCells(random, x, y);
      const channels = channelsOf(c);
      return (index) =>
        fluorescencePlane(random, cells, x, y, channels[Math.floor(index / z)].stain, depth(index % z, z));
    }
    case 'tiff': {
      if (spec.rgb) return () => histologyPlane(random, spec.width, spec.height);
      if (spec.bits === 8) return electronFrames(random, spec.width, spec.height);
      const cells = makeCells(random, spec.width, spec.height);
      // A series of 16-bit pages is a time-lapse of a nuclear reporter; a single page shows the cell bodies.
      return (page) =>
        fluorescencePlane(
          random,
          drifted(cells, page),
          spec.width,
          spec.height,
          spec.pages > 1 ? 'nucleus' : 'cytoplasm',
        );
    }
    case 'mrc': {
      if (spec.volume && spec.nx === spec.ny && spec.ny === spec.nz) {
        const subunits = makeDensity(random);
        return (z) => densitySlice(random, subunits, spec.nx, spec.ny, (z + 0.5) / spec.nz);
      }
      return electronFrames(random, spec.nx, spec.ny);
    }
    case 'png':
      return () => phaseContrast(random, spec.width, spec.height);
    default:
      throw new Error(`${spec.path}: a ${spec.kind} file has no planes`);
  }
}
