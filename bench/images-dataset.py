# Writes the image dataset of bench/images.bench.ts with reference writers: OME-TIFFs (tifffile), MRC movie stacks
# (MRC2014 headers laid out with numpy) and an OME-Zarr 0.4 image with many chunks (zarr 2). Usage:
# images-dataset.py <folder> <scale>; scale 1 is about 300 MB, scale 0.25 about 75 MB. PNGs are written by the
# benchmark itself with sharp.
import os
import sys

import numpy
import tifffile
import zarr

out = sys.argv[1]
scale = float(sys.argv[2])
rng = numpy.random.default_rng(1)
os.makedirs(os.path.join(out, 'ome-tiff'), exist_ok=True)
os.makedirs(os.path.join(out, 'movies'), exist_ok=True)

for i in range(max(1, int(40 * scale))):
    tifffile.imwrite(
        os.path.join(out, 'ome-tiff', f'cells_{i:03}.ome.tif'),
        rng.integers(0, 4096, (2, 3, 512, 512), dtype=numpy.uint16),
        ome=True,
        metadata={'axes': 'CZYX', 'PhysicalSizeX': 0.1, 'PhysicalSizeY': 0.1, 'PhysicalSizeZ': 0.5},
    )

for i in range(max(1, int(8 * scale))):
    frames = rng.integers(0, 8, (8, 1024, 1024), dtype=numpy.int16)
    header = numpy.zeros(256, dtype='<i4')
    floats = header.view('<f4')
    header[0:4] = [1024, 1024, 8, 1]
    header[7:10] = [1024, 1024, 8]
    floats[10:13] = [1024 * 0.83, 1024 * 0.83, 8 * 0.83]
    header[16:19] = [1, 2, 3]
    raw = bytearray(header.tobytes())
    raw[208:214] = b'MAP \x44\x44'
    with open(os.path.join(out, 'movies', f'movie_{i:04}.mrcs'), 'wb') as f:
        f.write(bytes(raw))
        f.write(frames.tobytes())

planes = max(1, int(8 * scale))
root = zarr.open_group(os.path.join(out, 'tissue.zarr'), mode='w')
level0 = root.create_dataset('0', shape=(2, planes, 1024, 1024), chunks=(1, 1, 128, 128), dtype='<u2')
level0[:] = rng.integers(0, 4096, (2, planes, 1024, 1024), dtype=numpy.uint16)
level1 = root.create_dataset('1', shape=(2, planes, 512, 512), chunks=(1, 1, 128, 128), dtype='<u2')
level1[:] = level0[:, :, ::2, ::2]
axes = [{'name': 'c', 'type': 'channel'}] + [{'name': n, 'type': 'space', 'unit': 'micrometer'} for n in 'zyx']
root.attrs['multiscales'] = [
    {
        'version': '0.4',
        'axes': axes,
        'datasets': [
            {'path': '0', 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 1, 0.2, 0.2]}]},
            {'path': '1', 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 1, 0.4, 0.4]}]},
        ],
    }
]
