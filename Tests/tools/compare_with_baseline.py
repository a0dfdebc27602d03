#!/usr/bin/python3
"""Checks that routerisk-2's score outputs keep every routerisk-1 field (MODEL §1-§12) unchanged.

  compare_with_baseline.py BASELINE_OUT NEW_OUT

BASELINE_OUT is a `routerisk score` output of the original main (routerisk-1), NEW_OUT the same
command with this branch. Every property of every baseline feature must be equal in the new output
(the explanation may only gain the forecast clause at its end); new hotspot features may appear only
with forecast > 0 (MODEL §13); summary.json may differ only in model, stages_s, hotspots.cells_written,
notes and the new forecast block. Prints what differs; exit 1 on any difference.
"""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(base, new):
    bad = []
    br = {f["properties"]["id"]: f for f in load(base + "/routes.geojson")["features"]}
    nr = {f["properties"]["id"]: f for f in load(new + "/routes.geojson")["features"]}
    if list(br) != list(nr):
        bad.append("route order differs")
    for rid, f in br.items():
        g = nr.get(rid)
        if g is None:
            bad.append("route %s missing" % rid)
            continue
        if f["geometry"] != g["geometry"]:
            bad.append("route %s geometry" % rid)
        for k, v in f["properties"].items():
            w = g["properties"].get(k)
            if k == "explanation":
                if not (w.startswith(v + "; about ") and w.endswith(" days")):
                    bad.append("route %s explanation: %r vs %r" % (rid, v, w))
            elif v != w:
                bad.append("route %s %s: %r vs %r" % (rid, k, v, w))
        if "expected_next" not in g["properties"]:
            bad.append("route %s has no expected_next" % rid)
    bh = {(f["properties"]["q"], f["properties"]["r"]): f for f in load(base + "/hotspots.geojson")["features"]}
    nh = {(f["properties"]["q"], f["properties"]["r"]): f for f in load(new + "/hotspots.geojson")["features"]}
    for key, f in bh.items():
        g = nh.get(key)
        if g is None:
            bad.append("cell %s missing" % (key,))
            continue
        if f["geometry"] != g["geometry"]:
            bad.append("cell %s geometry" % (key,))
        for k, v in f["properties"].items():
            if g["properties"].get(k) != v:
                bad.append("cell %s %s: %r vs %r" % (key, k, v, g["properties"].get(k)))
    extra = [k for k in nh if k not in bh]
    for key in extra:
        if not nh[key]["properties"]["forecast"] > 0:
            bad.append("cell %s written without forecast > 0" % (key,))
    bs, ns = load(base + "/summary.json"), load(new + "/summary.json")
    for k, v in bs.items():
        if k in ("model", "stages_s", "notes"):
            continue
        w = ns.get(k)
        if k == "hotspots":
            v = {a: b for a, b in v.items() if a != "cells_written"}
            w = {a: b for a, b in w.items() if a != "cells_written"}
        if v != w:
            bad.append("summary %s: %r vs %r" % (k, v, w))
    for line in bad[:40]:
        print(line)
    print("%d routes, %d baseline cells (+%d with forecast > 0 only), %d differences"
          % (len(br), len(bh), len(extra), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
