"""Writes the time lapse that the site fixture converts (fixture-conversion.ts) with tifffile: an OME-TIFF of
2 time points x 2 channels x 99 x 149 pixels, uint8, in the pattern `timeLapseValue` describes:
channel 0 ("nuclei", red) is 200 in the left half (x < 75) at t 0 and in the right half at t 1, 0 elsewhere;
channel 1 ("membrane", green) is 100 in the top half (y < 50) at both time points, 0 elsewhere.
Odd sizes, so that each pyramid level rounds up (images/convert/pyramid.ts).

usage: write-time-lapse.py OUT
"""
import sys

import numpy as np
import tifffile

out = sys.argv[1]
t, c, y, x = 2, 2, 99, 149
pixels = np.zeros((t, c, y, x), dtype=np.uint8)
pixels[0, 0, :, :75] = 200
pixels[1, 0, :, 75:] = 200
pixels[:, 1, :50, :] = 100
# OME-XML colours are signed 32-bit RGBA: 0xFF0000FF is red, 0x00FF00FF green.
tifffile.imwrite(out, pixels, ome=True, photometric='minisblack', metadata={
    'axes': 'TCYX', 'PhysicalSizeX': 0.5, 'PhysicalSizeY': 0.5,
    'PhysicalSizeXUnit': 'µm', 'PhysicalSizeYUnit': 'µm',
    'Channel': {'Name': ['nuclei', 'membrane'], 'Color': [-16776961, 16711935]}})
