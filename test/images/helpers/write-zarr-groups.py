# Writes Zarr v2 groups and arrays with zarr 2 (Debian's python3-zarr), as a JSON document on standard input says:
#   {"groups": {"<path>": {"attributes": {...}, "arrays": {"<name>": {"shape": [...], "dtype": "<u2"}}}},
#    "files": {"<path>": "<text>"}}
# Group paths are relative to the folder ("" is the root) and written in the order given; arrays are left at their
# fill value (0), since the readers under test read metadata only. `files` are other files of the layout (such as
# bioformats2raw's OME/METADATA.ome.xml), written as they are. Usage: write-zarr-groups.py <folder> < spec.json
import json
import os
import sys

import zarr

folder = sys.argv[1]
spec = json.load(sys.stdin)
for path, group_spec in spec.get('groups', {}).items():
    group = zarr.open_group(os.path.join(folder, path), mode='a')
    group.attrs.update(group_spec.get('attributes', {}))
    for name, array in group_spec.get('arrays', {}).items():
        group.create_dataset(name, shape=array['shape'], dtype=array['dtype'], fill_value=0, overwrite=True)
for path, text in spec.get('files', {}).items():
    os.makedirs(os.path.dirname(os.path.join(folder, path)), exist_ok=True)
    with open(os.path.join(folder, path), 'w', encoding='utf-8') as f:
        f.write(text)
print(json.dumps({'written': folder}))
