"""Print, as JSON, the units Translate Toolkit's readers find in a file.

Run with Translate Toolkit's own interpreter (.venv-ttk/bin/python): its
package is also named ``translate``, so it cannot be imported in ours.
Usage: ttk_read.py xliff1|xliff2|tmx FILE
"""

import json
import sys

from translate.storage import tmx, xliff, xliff2

kind, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as handle:
    data = handle.read()
if kind == "xliff1":
    store = xliff.xlifffile.parsestring(data)
elif kind == "xliff2":
    store = xliff2.Xliff2File.parsestring(data)
else:
    store = tmx.tmxfile.parsestring(data)
units = []
for unit in store.units:
    if unit.isheader():
        continue
    record = {"source": str(unit.source), "target": str(unit.target or "")}
    if kind != "tmx":
        record.update(
            id=unit.getid(),
            fuzzy=bool(unit.isfuzzy()),
            approved=bool(unit.isapproved()),
            notes=unit.getnotes(),
            locations=unit.getlocations(),
        )
    units.append(record)
json.dump(units, sys.stdout, ensure_ascii=False)
