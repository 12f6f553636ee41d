"""The peer of `catalogue convert` in the conversion benchmark: Debian's Python stack doing the same job. tifffile
reads each plane, zarr 2.13 writes OME-NGFF 0.4 (Zarr v2) with the same pyramid (y and x halved by a 2 x 2 mean,
integers rounded half up, until a level fits one chunk), the same chunks (1 x 1024 x 1024) and zstd level 3.
One plane and its pyramid in memory at a time.

usage: convert-peer.py OUT.zarr INPUT.tif [INPUT.tif ...]   (several inputs: one image each, OUT/<n>.zarr)
"""
import sys

import numcodecs
import numpy as np
import tifffile
import zarr

CHUNK = 1024
compressor = numcodecs.Zstd(level=3)


def halve(a):
    y, x = a.shape
    total = np.zeros(((y + 1) // 2, (x + 1) // 2), np.float64)
    count = np.zeros_like(total)
    for dy in (0, 1):
        for dx in (0, 1):
            part = a[dy::2, dx::2]
            total[:part.shape[0], :part.shape[1]] += part
            count[:part.shape[0], :part.shape[1]] += 1
    return np.floor((2 * total + count) / (2 * count)).astype(a.dtype)


def convert(path, out):
    with tifffile.TiffFile(path) as tif:
        pages = tif.pages
        first = pages[0]
        planes, (height, width) = len(pages), first.shape
        shapes = [(height, width)]
        while shapes[-1][0] > CHUNK or shapes[-1][1] > CHUNK:
            shapes.append(((shapes[-1][0] + 1) // 2, (shapes[-1][1] + 1) // 2))
        group = zarr.open_group(zarr.NestedDirectoryStore(out), mode='w')
        arrays = [group.create_dataset(str(i), shape=(planes, *s), chunks=(1, min(CHUNK, s[0]), min(CHUNK, s[1])),
                                       dtype=first.dtype, compressor=compressor, dimension_separator='/')
                  for i, s in enumerate(shapes)]
        for z in range(planes):
            level = pages[z].asarray()
            for index, array in enumerate(arrays):
                if index > 0:
                    level = halve(level)
                array[z] = level
        group.attrs['multiscales'] = [{'version': '0.4', 'axes': [{'name': a, 'type': 'space'} for a in 'zyx'],
                                       'datasets': [{'path': str(i), 'coordinateTransformations': [
                                           {'type': 'scale', 'scale': [1, 2 ** i, 2 ** i]}]} for i in range(len(shapes))]}]


out, inputs = sys.argv[1], sys.argv[2:]
if len(inputs) == 1:
    convert(inputs[0], out)
else:
    for n, path in enumerate(inputs):
        convert(path, f'{out}/{n}.zarr')
