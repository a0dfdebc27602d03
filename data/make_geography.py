#!/usr/bin/python3
"""Regenerate data/coastline.geojson and data/borders.geojson from GSHHG/DCW.

Sources (Debian packages, no network access needed):
  gmt             GMT 6 (`gmt coast`)
  gmt-gshhg-high  GSHHG 2.3.7 shorelines (GSHHS, LGPL-3+) and WDBII borders
                  (public domain), by Wessel & Smith
  gmt-dcw         DCW-GMT country polygons (LGPL-3+)
  python3-shapely shapely.ops.linemerge (GEOS LineMerge)

Steps:
  1. Shorelines, land-ocean only (GSHHG level 1, no lake shores):
       gmt coast -R94/142/-12/8 -Dh -W -A0/1/1 -M
     GMT cuts lines at its internal bin edges; the pieces are joined again with
     shapely.ops.linemerge.
  2. National borders (WDBII):
       gmt coast -R94/142/-12/8 -Dh -N1 -M
     joined with linemerge and named after the two DCW countries they lie
     between. WDBII predates Timor-Leste, so:
  3. The Indonesia-Timor-Leste border (main border and the Oecusse enclave) is
     built from the DCW polygons
       gmt coast -R123/128/-11/-8 -ETL -M   and   ... -EID -M
     as the part of Timor-Leste's outline lying on Indonesia's outline:
     TL boundary  intersected with  buffer(ID boundary, 0.0015 deg ~ 165 m),
     merged with linemerge, pieces shorter than 1 km (where the two outlines
     touch at the coast) dropped. (The two DCW outlines are up to ~100 m apart
     along the shared border; 0.001 deg already joins them into two lines.)
  4. Coordinates are rounded to 5 decimals (~1 m); consecutive duplicate
     vertices are removed. No simplification, no island is dropped.

By default only Indonesia's land borders are written (Indonesia-Malaysia on
Borneo incl. Sebatik, Indonesia-Papua New Guinea, Indonesia-Timor-Leste);
--all-borders also writes the other WDBII borders in the box (Malaysia-Thailand,
Malaysia-Singapore in the Johor Strait, Brunei-Malaysia).

The output is deterministic (features sorted, fixed number formatting) for a
given GMT/GSHHG/DCW/GEOS version; rerunning overwrites the two files.

Usage: /usr/bin/python3 data/make_geography.py [--out DIR] [--all-borders]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.ops import linemerge, unary_union

REGION = "94/142/-12/8"
TIMOR_REGION = "123/128/-11/-8"
DECIMALS = 5
TL_BUFFER_DEG = 0.0015
TL_MIN_PIECE_DEG = 0.009  # ~1 km
# DCW codes used to name the WDBII border lines.
COUNTRIES = {
    "ID": "Indonesia", "MY": "Malaysia", "TH": "Thailand", "SG": "Singapore",
    "BN": "Brunei", "PG": "Papua New Guinea", "TL": "Timor-Leste",
}


def gmt(*args):
    cmd = ["gmt"] + list(args)
    print("+ " + " ".join(cmd), file=sys.stderr)
    # run in a scratch directory: GMT writes a gmt.history file into its cwd
    with tempfile.TemporaryDirectory() as tmp:
        return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp).stdout


def segments(text):
    """Parse GMT multisegment ASCII output into (header, [(lon, lat), ...])."""
    out, cur, hdr = [], None, None
    for line in text.splitlines():
        if line.startswith(">"):
            if cur:
                out.append((hdr, cur))
            hdr, cur = line[1:].strip(), []
        elif line.strip() and not line.startswith("#"):
            x, y = line.split()[:2]
            cur.append((float(x), float(y)))
    if cur:
        out.append((hdr, cur))
    return out


def parts(geom):
    if geom.is_empty:
        return []
    if geom.geom_type in ("LineString", "LinearRing"):
        return [LineString(geom.coords)]
    if geom.geom_type in ("MultiLineString", "GeometryCollection"):
        return [g for p in geom.geoms for g in parts(p)]
    return []


def merge(lines):
    return parts(linemerge(MultiLineString(lines)))


def rounded(line):
    pts = []
    for x, y in line.coords:
        p = (round(x, DECIMALS), round(y, DECIMALS))
        if not pts or p != pts[-1]:
            pts.append(p)
    return pts if len(pts) >= 2 else None


def num(v):
    s = "%.*f" % (DECIMALS, v)
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write_lines(path, features, name):
    """features: list of (properties dict, [(x, y), ...])."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","name":%s,"features":[\n' % json.dumps(name))
        for i, (props, pts) in enumerate(features):
            coords = ",".join("[%s,%s]" % (num(x), num(y)) for x, y in pts)
            f.write('{"type":"Feature","properties":%s,"geometry":{"type":"LineString","coordinates":[%s]}}%s\n'
                    % (json.dumps(props, ensure_ascii=False, sort_keys=True), coords,
                       "," if i + 1 < len(features) else ""))
        f.write("]}\n")


def dcw_polygons(codes, region):
    polys = {}
    for code in codes:
        segs = segments(gmt("coast", "-R" + region, "-E" + code, "-M"))
        polys[code] = [Polygon(c) for _, c in segs if len(c) >= 4]
    return polys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--all-borders", action="store_true",
                    help="also keep the non-Indonesian WDBII borders in the box")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    # 1. shorelines
    shore = segments(gmt("coast", "-R" + REGION, "-Dh", "-W", "-A0/1/1", "-M"))
    coast = []
    for line in merge([LineString(c) for _, c in shore if len(c) >= 2]):
        pts = rounded(line)
        if pts:
            coast.append(pts)
    coast.sort(key=lambda p: (p[0], p[-1], len(p)))
    write_lines(os.path.join(a.out, "coastline.geojson"), [({}, p) for p in coast], "coastline")
    print("coastline: %d GMT pieces -> %d lines, %d vertices"
          % (len(shore), len(coast), sum(len(p) for p in coast)), file=sys.stderr)

    # 2. WDBII borders, named by the two nearest DCW countries
    wdb = merge([LineString(c) for _, c in segments(gmt("coast", "-R" + REGION, "-Dh", "-N1", "-M")) if len(c) >= 2])
    dcw = dcw_polygons(sorted(COUNTRIES), REGION)
    borders = []
    for line in wdb:
        pts = list(line.coords)
        step = max(1, len(pts) // 50)
        sample = [Point(p) for p in pts[::step]]
        near = line.envelope.buffer(1.0)
        score = []
        for code, polys in dcw.items():
            cand = [p for p in polys if p.envelope.intersects(near)]
            d = (sum(min(p.distance(s) for p in cand) for s in sample) / len(sample)) if cand else 1e9
            score.append((d, code))
        score.sort()
        pair = sorted([COUNTRIES[score[0][1]], COUNTRIES[score[1][1]]])
        if "Indonesia" in pair:  # Indonesia first
            pair = ["Indonesia"] + [c for c in pair if c != "Indonesia"]
        name = "\u2013".join(pair)
        if "Indonesia" not in pair and not a.all_borders:
            print("border dropped (not Indonesian): %s, %d vertices" % (name, len(pts)), file=sys.stderr)
            continue
        r = rounded(line)
        if r:
            borders.append(({"name": name, "source": "GSHHG 2.3.7 WDBII"}, r))

    # 3. Indonesia-Timor-Leste from DCW
    tl = dcw_polygons(["TL", "ID"], TIMOR_REGION)
    xmin, xmax, ymin, ymax = (float(v) for v in TIMOR_REGION.split("/"))
    idb = unary_union([p.exterior for p in tl["ID"]
                       if p.bounds[0] < xmax and p.bounds[2] > xmin and p.bounds[1] < ymax and p.bounds[3] > ymin])
    tlb = unary_union([p.exterior for p in tl["TL"]])
    shared = [g for g in merge(parts(tlb.intersection(idb.buffer(TL_BUFFER_DEG)))) if g.length >= TL_MIN_PIECE_DEG]
    for line in shared:
        r = rounded(line)
        if r:
            borders.append(({"name": "Indonesia\u2013Timor-Leste", "source": "DCW-GMT 2.1.1"}, r))
    print("Timor-Leste border: %d lines, %.1f km" % (len(shared), sum(g.length for g in shared) * 111.2),
          file=sys.stderr)

    borders.sort(key=lambda f: (f[0]["name"], f[1][0], f[1][-1], len(f[1])))
    write_lines(os.path.join(a.out, "borders.geojson"), borders, "borders")
    for props, pts in borders:
        print("border: %-30s %5d vertices  %s .. %s" % (props["name"], len(pts), pts[0], pts[-1]), file=sys.stderr)


if __name__ == "__main__":
    main()
