# Writes the test images with reference writers: tifffile (OME-TIFF, ImageJ hyperstack, BigTIFF, multi-page,
# RGB, centimetre resolution), zarr 2 (an OME-Zarr 0.4 image with labels), and MRC2014 headers laid out with numpy
# from the specification (no MRC writer is packaged in Debian). Usage: write-images.py <folder>. The metadata
# written here is what test/images/readers.test.ts expects.
import json
import os
import sys

import numpy
import tifffile
import zarr

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def path(name):
    return os.path.join(out, name)


# OME-TIFF, five dimensions, physical sizes, time increment, named and coloured channels.
tifffile.imwrite(
    path('five-d.ome.tif'),
    numpy.zeros((2, 2, 3, 32, 48), numpy.uint16),
    ome=True,
    metadata={
        'axes': 'TCZYX',
        'PhysicalSizeX': 0.325,
        'PhysicalSizeXUnit': 'µm',
        'PhysicalSizeY': 0.325,
        'PhysicalSizeYUnit': 'µm',
        'PhysicalSizeZ': 1.5,
        'PhysicalSizeZUnit': 'µm',
        'TimeIncrement': 2.5,
        'TimeIncrementUnit': 's',
        'Channel': {'Name': ['DAPI', 'GFP'], 'Color': [-16776961, 16711935]},
    },
)

# OME-TIFF in nanometres, float32, one plane.
tifffile.imwrite(
    path('nanometres.ome.tif'),
    numpy.zeros((20, 30), numpy.float32),
    ome=True,
    metadata={'axes': 'YX', 'PhysicalSizeX': 85.0, 'PhysicalSizeXUnit': 'nm', 'PhysicalSizeY': 85.0, 'PhysicalSizeYUnit': 'nm'},
)

# OME-TIFF with two images (series).
with tifffile.TiffWriter(path('two-series.ome.tif'), ome=True) as tif:
    tif.write(numpy.zeros((16, 24), numpy.uint8), metadata={'axes': 'YX'})
    tif.write(numpy.zeros((8, 12), numpy.uint8), metadata={'axes': 'YX'})

# ImageJ hyperstack: 3 frames, 4 slices, 2 channels; 0.2 µm pixels, 0.8 µm apart, 0.5 s between frames.
tifffile.imwrite(
    path('hyperstack.tif'),
    numpy.zeros((3, 4, 2, 20, 25), numpy.uint8),
    imagej=True,
    resolution=(1 / 0.2, 1 / 0.2),
    metadata={'axes': 'TZCYX', 'spacing': 0.8, 'unit': 'um', 'finterval': 0.5},
)

# BigTIFF, five pages of one shape: a z stack.
tifffile.imwrite(path('stack.btf'), numpy.zeros((5, 16, 16), numpy.float32), bigtiff=True)

# Two pages of different shapes: two images.
with tifffile.TiffWriter(path('mixed.tif')) as tif:
    tif.write(numpy.zeros((16, 16), numpy.uint16))
    tif.write(numpy.zeros((8, 10), numpy.uint16))

# RGB, 8-bit, interleaved.
tifffile.imwrite(path('rgb.tif'), numpy.zeros((12, 14, 3), numpy.uint8), photometric='rgb')

# Plain TIFF with a centimetre resolution: 20000 pixels per cm is 0.5 µm per pixel.
tifffile.imwrite(
    path('centimetre.tif'), numpy.zeros((10, 10), numpy.int16), resolution=(20000, 20000), resolutionunit='CENTIMETER'
)


def mrc(name, shape, mode, dtype, cell, ispg, mz=None, order='<', map_word=True):
    """MRC2014 main header: 56 words then 10 labels of 80 characters (1024 bytes), then the data."""
    nz, ny, nx = shape
    header = numpy.zeros(256, dtype=order + 'i4')
    floats = header.view(order + 'f4')
    header[0:4] = [nx, ny, nz, mode]
    header[7:10] = [nx, ny, mz or nz]
    floats[10:13] = cell
    floats[13:16] = [90, 90, 90]
    header[16:19] = [1, 2, 3]
    header[22] = ispg
    raw = bytearray(header.tobytes())
    if map_word:
        raw[208:212] = b'MAP '
        raw[212:214] = b'\x44\x44' if order == '<' else b'\x11\x11'
    with open(path(name), 'wb') as f:
        f.write(bytes(raw))
        f.write(numpy.zeros(shape, dtype=order + dtype).tobytes())


# A volume: 1.1 × 1.1 × 2.2 Å voxels.
mrc('volume.mrc', (20, 30, 40), 2, 'f4', [40 * 1.1, 30 * 1.1, 20 * 2.2], 1)
# A stack of 7 images (movie frames), 0.83 Å per pixel, int16.
mrc('movie.mrcs', (7, 16, 18), 1, 'i2', [18 * 0.83, 16 * 0.83, 7 * 0.83], 0)
# Big-endian, uint16, a stack of 2 volumes of 3 sections.
mrc('volumes.map', (6, 8, 9), 6, 'u2', [9.0, 8.0, 6.0], 401, mz=3, order='>')
# An older file without the map word, found by its extension and header.
mrc('old.rec', (4, 5, 6), 2, 'f4', [6.0, 5.0, 4.0], 1, map_word=False)

# OME-Zarr 0.4 written with zarr 2: a two-level pyramid (c, z, y, x) with labels.
root = zarr.open_group(path('cells.zarr'), mode='w')
root.create_dataset('0', shape=(2, 3, 64, 64), chunks=(1, 1, 16, 16), dtype='<u2', fill_value=0)
root.create_dataset('1', shape=(2, 3, 32, 32), chunks=(1, 1, 16, 16), dtype='<u2', fill_value=0)
root.attrs['multiscales'] = [
    {
        'version': '0.4',
        'name': 'cells',
        'axes': [
            {'name': 'c', 'type': 'channel'},
            {'name': 'z', 'type': 'space', 'unit': 'micrometer'},
            {'name': 'y', 'type': 'space', 'unit': 'micrometer'},
            {'name': 'x', 'type': 'space', 'unit': 'micrometer'},
        ],
        'datasets': [
            {'path': '0', 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 0.5, 0.2, 0.2]}]},
            {'path': '1', 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 0.5, 0.4, 0.4]}]},
        ],
    }
]
root.attrs['omero'] = {
    'channels': [
        {'label': 'DAPI', 'color': '0000ff', 'window': {'start': 0, 'end': 1000, 'min': 0, 'max': 65535}},
        {'label': 'Actin', 'color': 'FF0000', 'window': {'start': 0, 'end': 1000, 'min': 0, 'max': 65535}},
    ]
}
labels = root.create_group('labels')
labels.attrs['labels'] = ['nuclei']
print(json.dumps({'written': sorted(os.listdir(out))}))
