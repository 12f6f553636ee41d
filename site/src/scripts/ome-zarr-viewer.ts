// The image viewer of /entries/<ACCESSION>/images/<image>/: reads an OME-Zarr image (OME-NGFF 0.4 or 0.5) from its
// public URL with ome-zarr.js and draws it on a 2D canvas. Only the visible part of the image is read, at the
// coarsest resolution level that still gives one image pixel per screen pixel (OME-NGFF §"multiscales": datasets
// go from the highest resolution to the lowest), so that panning and zooming read a few chunks at a time.
// Channels on and off, a contrast window per channel, z and t sliders. Canvas 2D, not WebGL: it draws the same in
// every browser, with or without a GPU.
import { getPixelValueRange, NgffImage, type Omero } from 'ome-zarr.js';
import { createListedStore } from './listed-store.ts';

interface Channel {
  label: string;
  color: string;
  active: boolean;
  /** The contrast window: values at or below `start` are black, at or above `end` full colour. */
  start: number;
  end: number;
  /** The range the contrast sliders cover. */
  min: number;
  max: number;
}

interface View {
  /** Centre of the canvas in full-resolution pixels. */
  cx: number;
  cy: number;
  /** Canvas (CSS) pixels per full-resolution pixel. */
  scale: number;
}

interface Drawn {
  bitmap: HTMLCanvasElement;
  /** The full-resolution region the bitmap covers. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** ome-zarr.js composites at most this many channels at once (its renderTo8bitArray). */
const maxActiveChannels = 3;
/**
 * Bounds on what an image's metadata can make the page do: the pixels read for one view (a pyramid without a small
 * enough level is read only once zoomed in), and the channels offered.
 */
const maxRegionPixels = 4096 * 4096;
const maxChannels = 64;
const fallbackColors = ['FF00FF', '00FF00', '0000FF', 'FFFF00', '00FFFF', 'FF0000', 'FFFFFF'];

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The smallest and largest value of a chunk's data, ignoring NaN. */
function valueRange(data: ArrayLike<number | bigint>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 1];
}

async function startViewer(root: HTMLElement): Promise<void> {
  const url = root.dataset.source!;
  const canvas = root.querySelector<HTMLCanvasElement>('canvas')!;
  const status = root.querySelector<HTMLElement>('[data-status]')!;
  const controls = root.querySelector<HTMLElement>('[data-controls]')!;
  const context = canvas.getContext('2d')!;

  const metadataKeys = JSON.parse(root.dataset.metadataKeys ?? '[]') as string[];
  const image = await NgffImage.load(createListedStore(url, metadataKeys));
  // Each level's shape is its own array's. ome-zarr.js's calcShapes derives them from level 0's shape and the
  // scales, rounded down: a pixel short of a level made by halving an odd size and rounding up, as `catalogue
  // convert` makes them (OME-NGFF 0.5 §"multiscales" leaves the rounding to the writer).
  const shapes = await Promise.all(image.paths.map(async (_, level) => (await image.openArray(level)).shape));
  const axes = image.axes.map((a) => a.name);
  const full = shapes[0];
  const sizeOf = (name: string, shape = full) => (axes.includes(name) ? shape[axes.indexOf(name)] : 1);
  const width = sizeOf('x');
  const height = sizeOf('y');
  const channelCount = Math.min(sizeOf('c'), maxChannels);

  // Channel colours and windows from the image's omero settings (OME-NGFF 0.4 §"omero"); where it gives none,
  // the value range of the smallest level's first chunk.
  const smallest = await image.openArray(shapes.length - 1);
  const given = image.omero?.channels ?? [];
  const channels: Channel[] = [];
  let z = image.omero?.rdefs?.defaultZ ?? Math.floor(sizeOf('z') / 2);
  let t = image.omero?.rdefs?.defaultT ?? 0;
  for (let c = 0; c < channelCount; c++) {
    const settings = given[c];
    let range: [number, number] | undefined;
    if (settings?.window?.start === undefined || settings.window.end === undefined) {
      const coordinates = axes.map((name, i) => {
        const index = name === 'c' ? c : name === 'z' ? Math.floor(z / (full[i] / smallest.shape[i])) : 0;
        return Math.floor(index / smallest.chunks[i]);
      });
      const chunkSize = smallest.chunks.reduce((product, n) => product * n, 1);
      if (chunkSize > maxRegionPixels) {
        const { min, max } = getPixelValueRange(smallest.dtype);
        range = [min, max];
      } else range = valueRange((await smallest.getChunk(coordinates)).data as ArrayLike<number>);
    }
    const min = settings?.window?.min ?? range![0];
    const max = settings?.window?.max ?? range![1];
    channels.push({
      label: (settings?.label as string | undefined) ?? `Channel ${c}`,
      color: (settings?.color ?? fallbackColors[c % fallbackColors.length]).replace(/^#/, ''),
      active: (settings?.active ?? true) && c < maxActiveChannels,
      start: settings?.window?.start ?? range![0],
      end: settings?.window?.end ?? range![1],
      min: Math.min(min, settings?.window?.start ?? min),
      max: Math.max(max, settings?.window?.end ?? max),
    });
  }

  // The view and the drawing. The last drawn region is redrawn at once on every move; the new one follows.
  const view: View = { cx: width / 2, cy: height / 2, scale: 1 };
  let drawn: Drawn | undefined;
  let pending: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let renders = 0;

  function resize(): void {
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth;
    const cssHeight = canvas.clientHeight;
    canvas.width = Math.round(cssWidth * ratio);
    canvas.height = Math.round(cssHeight * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  /** Until the reader pans or zooms, the whole image stays fitted to the canvas, whatever its size. */
  let fitted = true;
  function fit(): void {
    fitted = true;
    view.cx = width / 2;
    view.cy = height / 2;
    view.scale = Math.min(canvas.clientWidth / width, canvas.clientHeight / height);
  }

  function paint(): void {
    context.fillStyle = '#000';
    context.fillRect(0, 0, canvas.clientWidth, canvas.clientHeight);
    if (!drawn) return;
    context.imageSmoothingEnabled = view.scale < 1;
    const left = (drawn.x0 - view.cx) * view.scale + canvas.clientWidth / 2;
    const top = (drawn.y0 - view.cy) * view.scale + canvas.clientHeight / 2;
    context.drawImage(drawn.bitmap, left, top, (drawn.x1 - drawn.x0) * view.scale, (drawn.y1 - drawn.y0) * view.scale);
  }

  /** The coarsest level with at least one image pixel per device pixel along x; level 0 when zoomed in past it. */
  function levelFor(scale: number): number {
    const wanted = 1 / (scale * (window.devicePixelRatio || 1));
    let level = 0;
    shapes.forEach((shape, index) => {
      if (width / sizeOf('x', shape) <= wanted) level = index;
    });
    return level;
  }

  async function render(): Promise<void> {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    const level = levelFor(view.scale);
    const shape = shapes[level];
    const levelWidth = sizeOf('x', shape);
    const levelHeight = sizeOf('y', shape);
    const halfWidth = canvas.clientWidth / (2 * view.scale);
    const halfHeight = canvas.clientHeight / (2 * view.scale);
    // The visible region in this level's pixels, whole pixels, inside the image.
    const lx0 = Math.max(0, Math.floor(((view.cx - halfWidth) * levelWidth) / width));
    const lx1 = Math.min(levelWidth, Math.ceil(((view.cx + halfWidth) * levelWidth) / width));
    const ly0 = Math.max(0, Math.floor(((view.cy - halfHeight) * levelHeight) / height));
    const ly1 = Math.min(levelHeight, Math.ceil(((view.cy + halfHeight) * levelHeight) / height));
    // Nothing to read when the view is off the image or every channel is off: the canvas is black.
    if (lx1 <= lx0 || ly1 <= ly0 || !channels.some((c) => c.active)) {
      drawn = undefined;
      paint();
      renders++;
      root.dataset.renders = String(renders);
      status.textContent = channels.some((c) => c.active) ? 'Outside the image' : 'No channel is shown';
      return;
    }
    if ((lx1 - lx0) * (ly1 - ly0) > maxRegionPixels) {
      drawn = undefined;
      paint();
      status.textContent = `Zoom in: this view would read ${lx1 - lx0} × ${ly1 - ly0} pixels at once`;
      return;
    }
    // ome-zarr.js takes slices in full-resolution pixels and floors them into the level's; half a level pixel in
    // keeps that floor on the intended pixel.
    const toFull = (l: number, levelSize: number, fullSize: number) => ((l + 0.5) * fullSize) / levelSize;
    const omero: Omero = {
      channels: channels.map((c) => ({
        color: c.color,
        active: c.active,
        window: { min: c.min, max: c.max, start: c.start, end: Math.max(c.end, c.start + 1e-9) },
      })),
      rdefs: { defaultZ: z, defaultT: t, model: 'color' },
    };
    try {
      const {
        data,
        width: w,
        height: h,
      } = await image.renderRgba({
        arrayPathOrIndex: level,
        slices: {
          x: [toFull(lx0, levelWidth, width), lx1 === levelWidth ? width + 1 : toFull(lx1, levelWidth, width)],
          y: [toFull(ly0, levelHeight, height), ly1 === levelHeight ? height + 1 : toFull(ly1, levelHeight, height)],
          ...(axes.includes('z') ? { z } : {}),
          ...(axes.includes('t') ? { t } : {}),
        },
        omero,
        signal: controller.signal,
      });
      if (controller.signal.aborted) return;
      const bitmap = element('canvas');
      bitmap.width = w;
      bitmap.height = h;
      bitmap.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(data), w, h), 0, 0);
      drawn = {
        bitmap,
        x0: (lx0 * width) / levelWidth,
        y0: (ly0 * height) / levelHeight,
        x1: ((lx0 + w) * width) / levelWidth,
        y1: ((ly0 + h) * height) / levelHeight,
      };
      paint();
      renders++;
      root.dataset.renders = String(renders);
      root.dataset.level = String(level);
      if (renders === 1) performance.mark('ome-zarr-viewer:first-render');
      status.textContent =
        `Resolution level ${level + 1} of ${shapes.length} (${levelWidth} × ${levelHeight} px)` +
        (axes.includes('z') ? ` · z ${z + 1} of ${sizeOf('z')}` : '') +
        (axes.includes('t') ? ` · t ${t + 1} of ${sizeOf('t')}` : '');
    } catch (error) {
      if (controller.signal.aborted) return;
      status.textContent = `Could not read the image: ${(error as Error).message}`;
      status.setAttribute('role', 'alert');
    }
  }

  /** Redraw now from what is drawn, read the new view shortly after (one read per burst of wheel events). */
  function update(delay = 60): void {
    paint();
    clearTimeout(timer);
    timer = setTimeout(() => void render(), delay);
  }

  function zoom(factor: number, atX = canvas.clientWidth / 2, atY = canvas.clientHeight / 2): void {
    const fitScale = Math.min(canvas.clientWidth / width, canvas.clientHeight / height);
    const next = Math.min(Math.max(view.scale * factor, fitScale / 8), 32);
    // Keep the image point under the pointer where it is.
    const px = view.cx + (atX - canvas.clientWidth / 2) / view.scale;
    const py = view.cy + (atY - canvas.clientHeight / 2) / view.scale;
    view.cx = px - (atX - canvas.clientWidth / 2) / next;
    view.cy = py - (atY - canvas.clientHeight / 2) / next;
    view.scale = next;
    fitted = false;
    update();
  }

  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const box = canvas.getBoundingClientRect();
      zoom(Math.exp(-event.deltaY / 300), event.clientX - box.left, event.clientY - box.top);
    },
    { passive: false },
  );
  let dragFrom: { x: number; y: number } | undefined;
  canvas.addEventListener('pointerdown', (event) => {
    dragFrom = { x: event.clientX, y: event.clientY };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!dragFrom) return;
    view.cx -= (event.clientX - dragFrom.x) / view.scale;
    view.cy -= (event.clientY - dragFrom.y) / view.scale;
    dragFrom = { x: event.clientX, y: event.clientY };
    fitted = false;
    update();
  });
  const endDrag = () => (dragFrom = undefined);
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('keydown', (event) => {
    const step = 40 / view.scale;
    const moves: Record<string, () => void> = {
      ArrowLeft: () => (view.cx -= step),
      ArrowRight: () => (view.cx += step),
      ArrowUp: () => (view.cy -= step),
      ArrowDown: () => (view.cy += step),
      '+': () => zoom(1.25),
      '=': () => zoom(1.25),
      '-': () => zoom(0.8),
      '0': fit,
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    fitted = false;
    move();
    update();
  });

  // Controls: zoom buttons, the z and t sliders, one row per channel.
  const zoomRow = element('div', { class: 'viewer-zoom' });
  for (const [label, text, action] of [
    ['Zoom in', '+', () => zoom(1.5)],
    ['Zoom out', '−', () => zoom(1 / 1.5)],
    ['Fit the image', 'Fit', () => (fit(), update(0))],
  ] as const) {
    const button = element('button', { type: 'button', 'aria-label': label }, text);
    button.addEventListener('click', action);
    zoomRow.append(button);
  }
  controls.append(zoomRow);

  function slider(name: 'z' | 't', value: number, onInput: (v: number) => void): void {
    const size = sizeOf(name);
    if (!axes.includes(name) || size < 2) return;
    const id = `viewer-${name}`;
    const label = element('label', { for: id }, name === 'z' ? 'Z plane' : 'Time point');
    const input = element('input', {
      id,
      type: 'range',
      min: '0',
      max: String(size - 1),
      step: '1',
      value: String(value),
      'data-axis': name,
    });
    const output = element('output', { for: id }, `${value + 1} / ${size}`);
    input.addEventListener('input', () => {
      onInput(Number(input.value));
      output.textContent = `${Number(input.value) + 1} / ${size}`;
      update(30);
    });
    const row = element('div', { class: 'viewer-slider' });
    row.append(label, input, output);
    controls.append(row);
  }
  z = Math.min(z, sizeOf('z') - 1);
  t = Math.min(t, sizeOf('t') - 1);
  slider('z', z, (v) => (z = v));
  slider('t', t, (v) => (t = v));

  const list = element('fieldset', { class: 'viewer-channels' });
  list.append(element('legend', {}, `Channels (up to ${maxActiveChannels} shown at once)`));
  if (sizeOf('c') > maxChannels) list.append(element('p', {}, `The first ${maxChannels} of ${sizeOf('c')} channels.`));
  channels.forEach((channel, index) => {
    const row = element('div', { class: 'viewer-channel' });
    const toggle = element('input', { type: 'checkbox', id: `viewer-channel-${index}`, 'data-channel': String(index) });
    toggle.checked = channel.active;
    const swatch = element('span', { class: 'viewer-swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = `#${channel.color}`;
    const name = element('label', { for: toggle.id }, channel.label);
    toggle.addEventListener('change', () => {
      channel.active = toggle.checked;
      update(0);
    });
    row.append(toggle, swatch, name);
    const step = Number.isInteger(channel.min) && Number.isInteger(channel.max) ? '1' : 'any';
    for (const end of ['start', 'end'] as const) {
      const input = element('input', {
        type: 'range',
        min: String(channel.min),
        max: String(channel.max),
        step,
        value: String(channel[end]),
        'aria-label': `${channel.label}: contrast ${end === 'start' ? 'black' : 'white'} point`,
        'data-contrast': end,
      });
      input.addEventListener('input', () => {
        channel[end] = Number(input.value);
        update(30);
      });
      row.append(input);
    }
    list.append(row);
  });
  controls.append(list);

  resize();
  fit();
  // The observer also reports the size it starts with: only a change of size redraws.
  let size = `${canvas.clientWidth}x${canvas.clientHeight}`;
  new ResizeObserver(() => {
    if (`${canvas.clientWidth}x${canvas.clientHeight}` === size) return;
    size = `${canvas.clientWidth}x${canvas.clientHeight}`;
    resize();
    if (fitted) fit();
    update();
  }).observe(canvas);
  await render();
}

for (const root of document.querySelectorAll<HTMLElement>('[data-ome-zarr-viewer]')) {
  startViewer(root).catch((error: unknown) => {
    const status = root.querySelector<HTMLElement>('[data-status]');
    if (status) {
      status.textContent = `Could not open the image: ${(error as Error).message}`;
      status.setAttribute('role', 'alert');
    }
  });
}
