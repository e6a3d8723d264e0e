"""Floor for the cold-start benchmark: what any tool must do at least.

Starts Python, parses the same packaged JSON files with the stdlib, builds plain dict
indices and prints the control ids for one NIS2 point as JSON. bio2map's cold
``controls`` run is measured against this in the same benchmark run.
"""

from __future__ import annotations

import json
import os
import sys

DATA = sys.argv[1]
POINT = "nis2:21.2.d"


def read(name: str) -> dict:  # type: ignore[type-arg]
    with open(os.path.join(DATA, name), "rb") as f:  # noqa: PTH123, PTH118
        return json.loads(f.read())  # type: ignore[no-any-return]


manifest = read("manifest.json")
files = {d["name"]: d["file"] for d in manifest["datasets"]}
nis2 = read(files["nis2"])
ir = read(files["ir2690"])
iso = read(files["iso27001-2022"])
enisa = read(files["enisa-ir2690-iso27001"])
bio2 = read(files["bio2-" + manifest["default_bio2"]])

nodes = {r["id"]: r for r in nis2["requirements"]}
nodes.update((r["id"], r) for r in ir["requirements"])
nodes.update((n["id"], n) for n in iso["nodes"])
by_point: dict[str, list[str]] = {}
for r in ir["requirements"]:
    for p in r["points"]:
        by_point.setdefault(p, []).append(r["id"])
maps_from: dict[str, list[str]] = {}
for src, tgt, _rel, _n in enisa["pairs"]:
    maps_from.setdefault(src, []).append(tgt)
measures: dict[str, list[str]] = {}
for m in bio2["measures"]:
    if m["kind"] == "measure":
        measures.setdefault("iso27002:" + m["control"], []).append("bio2:" + m["id"])
controls = sorted({t for a in by_point.get(POINT, []) for t in maps_from.get(a, [])})
out = {
    "requirement": POINT,
    "controls": [{"id": c, "measures": measures.get(c, [])} for c in controls],
}
sys.stdout.write(json.dumps(out, sort_keys=True, indent=2) + "\n")
