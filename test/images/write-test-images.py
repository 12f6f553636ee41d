# Writes the test images with the reference writers (tifffile, zarr 2 from Debian): OME-TIFF and ImageJ TIFF of
# several data types, a z-stack, several channels with OME colours, and an OME-Zarr 0.4 pyramid (Zarr v2).
# Usage: /usr/bin/python3 write-test-images.py OUTPUT_FOLDER [SEED]
import json
import os
import sys

import numpy as np
import tifffile
import zarr

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 7)


def blobs(height, width, dtype, low, high):
    """A smooth gradient with a bright square: not blank whatever the contrast."""
    y, x = np.mgrid[0:height, 0:width]
    image = (x / width) * 0.5 + (y / height) * 0.25
    image[height // 4 : height // 2, width // 4 : width // 2] = 1.0
    image = image + rng.normal(0, 0.02, image.shape)
    return (low + np.clip(image, 0, 1) * (high - low)).astype(dtype)


# Data types: uint8, uint16, float32, int16; one plane each, OME-TIFF.
tifffile.imwrite(f'{out}/u8.ome.tif', blobs(300, 400, np.uint8, 0, 255), ome=True)
tifffile.imwrite(f'{out}/u16.ome.tif', blobs(300, 400, np.uint16, 100, 4000), ome=True)
tifffile.imwrite(f'{out}/f32.ome.tif', blobs(300, 400, np.float32, -1.5, 2.5), ome=True)
tifffile.imwrite(f'{out}/i16.ome.tif', blobs(300, 400, np.int16, -3000, 3000), ome=True)

# Two channels with OME colours (red, green): red lights the left half only, green the bottom half only.
red = np.zeros((200, 200), np.uint16)
red[:, :100] = 3000
green = np.zeros((200, 200), np.uint16)
green[100:, :] = 3000
red = red + rng.integers(0, 50, red.shape, dtype=np.uint16)
green = green + rng.integers(0, 50, green.shape, dtype=np.uint16)
# OME colour: a signed 32-bit RGBA integer (OME-XML 2016-06, Color).
tifffile.imwrite(
    f'{out}/two-channels.ome.tif',
    np.stack([red, green]),
    ome=True,
    photometric='minisblack',
    metadata={'axes': 'CYX', 'Channel': {'Name': ['red', 'green'], 'Color': [-16776961, 16711935]}},
)

# A z-stack (ZYX, 9 planes): only the middle plane (z=4) has the bright square, the others are dark noise.
stack = rng.integers(0, 20, (9, 120, 160), dtype=np.uint16)
stack[4, 30:90, 40:120] = 5000
tifffile.imwrite(f'{out}/z-stack.ome.tif', stack, ome=True, metadata={'axes': 'ZYX'})

# A tiled pyramid OME-TIFF (SubIFDs): 2048 x 2048, two reduced levels.
big = blobs(2048, 2048, np.uint16, 0, 60000)
with tifffile.TiffWriter(f'{out}/pyramid.ome.tif', ome=True) as tif:
    tif.write(big, subifds=2, tile=(256, 256), compression='zlib', metadata={'axes': 'YX'})
    tif.write(big[::2, ::2], subfiletype=1, tile=(256, 256), compression='zlib')
    tif.write(big[::4, ::4], subfiletype=1, tile=(256, 256), compression='zlib')

# ImageJ hyperstack: 3 z, 2 channels (TZCYX order as ImageJ writes it).
hyper = rng.integers(0, 30, (3, 2, 100, 150), dtype=np.uint8)
hyper[1, 0, 20:60, 20:60] = 250
hyper[1, 1, 50:90, 80:140] = 250
tifffile.imwrite(f'{out}/hyperstack-imagej.tif', hyper, imagej=True, metadata={'axes': 'ZCYX'})

# RGB TIFF: kept as it is.
rgb = np.zeros((100, 120, 3), np.uint8)
rgb[:, :, 0] = 200
rgb[50:, :, 2] = 180
tifffile.imwrite(f'{out}/rgb.tif', rgb, photometric='rgb')

# OME-Zarr 0.4 (Zarr v2): czyx, 2 channels, three levels, omero colours (magenta, FFFF00).
root = zarr.open_group(f'{out}/image.ome.zarr', mode='w')
full = np.zeros((2, 5, 512, 768), np.uint16)
full[0, :, :256, :] = 1000
full[1, 2, 256:, 384:] = 2000
full = full + rng.integers(0, 30, full.shape, dtype=np.uint16)
datasets = []
for level, step in enumerate([1, 2, 4]):
    data = full[:, :, ::step, ::step]
    root.create_dataset(str(level), data=data, chunks=(1, 1, 128, 128), dimension_separator='/')
    datasets.append(
        {'path': str(level), 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 1, step, step]}]}
    )
root.attrs['multiscales'] = [
    {
        'version': '0.4',
        'axes': [
            {'name': 'c', 'type': 'channel'},
            {'name': 'z', 'type': 'space'},
            {'name': 'y', 'type': 'space', 'unit': 'micrometer'},
            {'name': 'x', 'type': 'space', 'unit': 'micrometer'},
        ],
        'datasets': datasets,
    }
]
root.attrs['omero'] = {
    'channels': [
        {'color': 'FF00FF', 'label': 'membrane', 'window': {'start': 0, 'end': 2000}},
        {'color': 'FFFF00', 'label': 'nuclei', 'window': {'start': 0, 'end': 2000}},
    ]
}

# MRC2014 (no reference writer installed): a 1024-byte header written field by field from the specification, then
# 5 float32 sections of 64 x 48, x fastest; only the middle section (index 2) has the bright square.
volume = rng.normal(0, 0.1, (5, 48, 64)).astype('<f4')
volume[2, 10:30, 20:50] = 8.0
header = np.zeros(256, '<i4')
header[0:4] = [64, 48, 5, 2]  # NX, NY, NZ, MODE 2 (float32)
header[7:10] = [64, 48, 5]  # MX, MY, MZ
header[16:19] = [1, 2, 3]  # MAPC, MAPR, MAPS
header_bytes = bytearray(header.tobytes())
header_bytes[208:212] = b'MAP '
header_bytes[212:214] = bytes([0x44, 0x44])  # MACHST: little-endian
with open(f'{out}/volume.mrc', 'wb') as f:
    f.write(bytes(header_bytes))
    f.write(volume.tobytes())
json.dump({'written': sorted(os.listdir(out))}, sys.stdout)
