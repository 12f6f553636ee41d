"""Writes the conversion benchmark's inputs with tifffile: one 3D uint16 stack, written plane by plane (so the
writer never holds the whole stack), and many small 512 x 512 TIFFs. Microscopy-like pixels: a smooth pattern
plus Poisson noise, so the chunks compress as real images do rather than as constant or random bytes.

usage: convert-inputs.py OUTDIR PLANES SIZE SMALL_COUNT
"""
import os
import sys

import numpy as np
import tifffile

out, planes, size, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(7)
os.makedirs(f'{out}/stack/images', exist_ok=True)
os.makedirs(f'{out}/small/images', exist_ok=True)
y, x = np.mgrid[0:size, 0:size].astype(np.float32)
base = (800 + 600 * np.sin(x / 97.0) * np.cos(y / 131.0)).astype(np.float32)


def plane(z):
    return rng.poisson(base + 20 * z).astype(np.uint16)


tifffile.imwrite(f'{out}/stack/images/stack.tif', (plane(z) for z in range(planes)), shape=(planes, size, size),
                 dtype=np.uint16, photometric='minisblack')
sy, sx = np.mgrid[0:512, 0:512].astype(np.float32)
small_base = 120 + 80 * np.sin(sx / 23.0) * np.cos(sy / 29.0)
for i in range(small):
    tifffile.imwrite(f'{out}/small/images/img{i:04d}.tif', rng.poisson(small_base).clip(0, 255).astype(np.uint8))
