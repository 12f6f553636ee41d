# Reference reading of OME-XML for the tests, independent of the catalogue's reader: tifffile takes the OME-XML
# out of an OME-TIFF, Python's ElementTree parses it. Prints, for each path given, the first Image's Pixels
# attributes, its channels and the number of Images, as JSON.
import json
import sys
import xml.etree.ElementTree as ElementTree

import tifffile


def local(tag):
    return tag.rsplit('}', 1)[-1]


def describe(xml):
    root = ElementTree.fromstring(xml)
    images = [e for e in root if local(e.tag) == 'Image']
    pixels = next(e for e in images[0] if local(e.tag) == 'Pixels')
    channels = [dict(c.attrib) for c in pixels if local(c.tag) == 'Channel']
    return {'pixels': dict(pixels.attrib), 'channels': channels, 'images': len(images)}


out = {}
for path in sys.argv[1:]:
    if path.endswith('.xml'):
        with open(path, encoding='utf-8') as f:
            xml = f.read()
    else:
        with tifffile.TiffFile(path) as tiff:
            xml = tiff.pages[0].description
    try:
        out[path] = describe(xml)
    except (StopIteration, IndexError):
        out[path] = None
print(json.dumps(out))
