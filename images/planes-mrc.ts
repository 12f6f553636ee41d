// The middle section of an MRC file (MRC2014, https://www.ccpem.ac.uk/mrc_format/mrc2014.php): a 1024-byte header
// (NX, NY, NZ, MODE as the first four 32-bit words; NSYMBT, the extended header's length, at byte 92; MACHST at
// byte 212 gives the byte order), then the sections, x fastest. Only the header and the one section are read.
import { open } from 'node:fs/promises';
import { assertPlaneFits, maxPlanePixels, reduceChannel, type Plane } from './plane.ts';
import { asPreviewError, PreviewError } from './preview-error.ts';
import type { ReadPlaneOptions } from './planes-tiff.ts';

const headerBytes = 1024;

/** MRC2014 MODE: bytes per value and how to read them. Mode 16 is 8-bit RGB. */
const modes: Record<number, { bytes: number; read: (view: DataView, at: number, little: boolean) => number }> = {
  0: { bytes: 1, read: (view, at) => view.getInt8(at) },
  1: { bytes: 2, read: (view, at, little) => view.getInt16(at, little) },
  2: { bytes: 4, read: (view, at, little) => view.getFloat32(at, little) },
  6: { bytes: 2, read: (view, at, little) => view.getUint16(at, little) },
  16: { bytes: 3, read: (view, at) => view.getUint8(at) },
};

export async function readMrcPlane(path: string, options: Pick<ReadPlaneOptions, 'maxPixels'> = {}): Promise<Plane> {
  return asPreviewError('the MRC file', async () => {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const header = Buffer.alloc(headerBytes);
      const { bytesRead } = await file.read(header, 0, headerBytes, 0);
      if (bytesRead < headerBytes)
        throw new PreviewError('PREVIEW_UNREADABLE', 'the MRC header is shorter than 1024 bytes');
      // MACHST 0x11 0x11 is big-endian; anything else (0x44 0x44, or 0x44 0x41 of older writers) little-endian.
      const little = !(header[212] === 0x11 && header[213] === 0x11);
      const word = (at: number) => (little ? header.readInt32LE(at) : header.readInt32BE(at));
      const [width, height, sections, mode] = [word(0), word(4), word(8), word(12)];
      const extended = word(92);
      const kind = modes[mode];
      if (!kind)
        throw new PreviewError('PREVIEW_UNSUPPORTED', `MRC mode ${mode} is not drawn (modes 0, 1, 2, 6, 16 are)`);
      if (!(sections > 0) || extended < 0)
        throw new PreviewError('PREVIEW_UNREADABLE', `the MRC header says NZ=${sections}, NSYMBT=${extended}`);
      assertPlaneFits(width, height, options.maxPixels ?? maxPlanePixels);
      const sectionBytes = width * height * kind.bytes;
      const start = headerBytes + extended + Math.floor(sections / 2) * sectionBytes;
      if (start + sectionBytes > size)
        throw new PreviewError(
          'PREVIEW_UNREADABLE',
          `the MRC file has ${size} bytes; its header says the middle section ends at byte ${start + sectionBytes}`,
        );
      const section = Buffer.alloc(sectionBytes);
      await file.read(section, 0, sectionBytes, start);
      const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
      const channelCount = mode === 16 ? 3 : 1;
      const channels = Array.from({ length: channelCount }, (_, c) => {
        const out = new Float32Array(width * height);
        for (let i = 0; i < out.length; i++) out[i] = kind.read(view, i * kind.bytes + c, little);
        return reduceChannel(out, width, height);
      });
      return {
        width: channels[0].width,
        height: channels[0].height,
        channels: channels.map((c) => c.data),
        colors: channels.map(() => undefined),
        rgb: mode === 16,
      };
    } finally {
      await file.close();
    }
  });
}
