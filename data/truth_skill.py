#!/usr/bin/python3
"""Skill of a replay against a forecaster that knows the truth (scenes made by make_scene.py).

  /usr/bin/python3 data/truth_skill.py --scene DIR REPLAY_OUT [REPLAY_OUT ...]

DIR is a scene written by make_scene.py (it holds truth-process.json: the expected events per
day of every route and of the background as the events were drawn, and points drawn from their
true spatial distributions). Each REPLAY_OUT is the --out of a `routerisk replay` of that scene
(replay-metrics.csv, replay-summary.json, replay.geojson).

For every step (t, t + step] the truth forecaster ranks the study-area cells by their true
expected count E(c) = sum over routes (listed or not) of E_r(t, t + step] * P_r(c) plus the
background's E_bg * P_bg(c) (P from the truth points, assigned to cells with MODEL §4's grid),
takes the same number of cells k as the replay and is scored like MODEL §10 on the replay's own
test events: truth_pai. Prints, per replay, the forecast that ran, mean PAI, mean truth PAI and
skill = mean PAI / mean truth PAI, the same for the replay's naive baseline, and E-skill: the
mean over steps of (true expected count in the replay's chosen cells) / (in the truth's k cells),
a skill without the noise of which events happened to occur.

Needs: the routerisk binary (--routerisk, default .build/release/routerisk) for the study area
and the working CRS (`score --all-cells`), gdaltransform (gdal-bin) for the projection, numpy.
"""
import argparse
import csv
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

DAY = 86400.0


def project(lonlat, crs):
    """lon/lat → working CRS with gdaltransform (one call)."""
    text = "\n".join("%.9f %.9f" % (x, y) for x, y in lonlat) + "\n"
    out = subprocess.run(["gdaltransform", "-s_srs", "+proj=longlat +datum=WGS84 +no_defs", "-t_srs", crs, "-output_xy"],
                         input=text, capture_output=True, text=True, check=True).stdout.split("\n")
    return np.array([[float(v) for v in line.split()[:2]] for line in out if line.strip()])


class Grid:
    """MODEL §4's flat-topped hex grid: centre x = x0 + 1.5 R q, y = y0 + √3 R (r + q/2)."""

    def __init__(self, s, x0, y0):
        self.s, self.R, self.x0, self.y0 = s, s / math.sqrt(3), x0, y0

    def cells(self, xy):
        qf = (xy[:, 0] - self.x0) / (1.5 * self.R)
        rf = (xy[:, 1] - self.y0) / (math.sqrt(3) * self.R) - qf / 2
        sf = -qf - rf
        rq, rr, rs = np.round(qf), np.round(rf), np.round(sf)
        dq, dr, ds = np.abs(rq - qf), np.abs(rr - rf), np.abs(rs - sf)
        fq = (dq > dr) & (dq > ds)
        fr = ~fq & (dr > ds)
        return np.where(fq, -rr - rs, rq).astype(np.int64), np.where(fr, -rq - rs, rr).astype(np.int64)


def day_index(iso):
    return (datetime.date.fromisoformat(iso[:10]) - datetime.date(1970, 1, 1)).days


def daily_series(pieces, first, last):
    """Expected events per UTC day, days first..last."""
    out = np.zeros(last - first + 1)
    for lo, hi, per_day in pieces:
        a, b = max(day_index(lo), first), min(day_index(hi), last)
        if a <= b:
            out[a - first:b - first + 1] += per_day
    return out


def study_area(routerisk, scene):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([routerisk, "score", "--scene", scene, "--all-cells", "--no-emerging", "--out", tmp, "--quiet",
                        "--overwrite"], check=True)
        with open(os.path.join(tmp, "summary.json")) as f:
            summary = json.load(f)
        with open(os.path.join(tmp, "hotspots.geojson")) as f:
            hot = json.load(f)
    cells = [(ft["properties"]["q"], ft["properties"]["r"]) for ft in hot["features"]]
    ring = hot["features"][0]["geometry"]["coordinates"][0][:6]
    return summary["options"]["crs"], summary["options"]["cell_km"] * 1000, cells, cells[0], ring


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scene", required=True)
    ap.add_argument("--routerisk", default=".build/release/routerisk")
    ap.add_argument("replays", nargs="+")
    a = ap.parse_args()
    with open(os.path.join(a.scene, "truth-process.json")) as f:
        truth = json.load(f)
    crs, s, cells, first_cell, ring = study_area(a.routerisk, a.scene)
    # The grid origin from one written hexagon: its centre, then x0 = cx − 1.5 R q (a multiple of s).
    c = project(ring, crs).mean(axis=0)
    R = s / math.sqrt(3)
    x0 = round((c[0] - 1.5 * R * first_cell[0]) / s) * s
    y0 = round((c[1] - math.sqrt(3) * R * (first_cell[1] + first_cell[0] / 2)) / s) * s
    grid = Grid(s, x0, y0)
    index = {cell: i for i, cell in enumerate(cells)}
    n = len(cells)
    sources = truth["routes"] + [dict(truth["background"], id="(background)")]
    # P_source(c): the share of the source's truth points in each study-area cell.
    allpts = np.array([p for src in sources for p in src["points"]])
    q, r = grid.cells(project(allpts, crs))
    share = np.zeros((len(sources), n))
    k0 = 0
    for si, src in enumerate(sources):
        m = len(src["points"])
        for qq, rr in zip(q[k0:k0 + m], r[k0:k0 + m]):
            i = index.get((int(qq), int(rr)))
            if i is not None:
                share[si, i] += 1.0 / m
        k0 += m
    cq = np.array([c[0] for c in cells]); cr = np.array([c[1] for c in cells])
    rankings = {}

    def truth_order(t0, t1):
        """Study-area cells by true expected count in days t0..t1, descending, ties by (q, r)."""
        if (t0, t1) not in rankings:
            e = np.array([daily_series(src["expected_daily"], t0, t1).sum() for src in sources])
            expected = e @ share
            rankings[(t0, t1)] = (np.lexsort((cr, cq, -expected)), expected)
        return rankings[(t0, t1)]

    print("%-28s %-12s %6s %9s %9s %7s %9s %7s %7s" % ("replay", "forecast", "steps", "mean PAI", "truth PAI", "skill",
                                                       "base PAI", "b.skill", "E-skill"))
    for out in a.replays:
        with open(os.path.join(out, "replay-summary.json")) as f:
            summ = json.load(f)
        k = summ["summary"]["cells_chosen"] if "summary" in summ else summ["cells_chosen"]
        meta = summ.get("summary", summ)
        with open(os.path.join(out, "replay-metrics.csv")) as f:
            rows = list(csv.DictReader(f))
        with open(os.path.join(out, "replay.geojson")) as f:
            layer = json.load(f)
        events, chosen = {}, {}
        for ft in layer["features"]:
            p = ft["properties"]
            if p["kind"] == "test_event":
                events.setdefault(p["step"], []).append(ft["geometry"]["coordinates"][:2])
            elif p["kind"] == "predicted_cell":
                chosen.setdefault(p["step"], []).append((p["q"], p["r"]))
        pais, truth_pais, base_pais, expected_ratios = [], [], [], []
        for row in rows:
            if int(row["test_events"]) == 0:
                continue
            step = int(row["step"])
            t0, t1 = day_index(row["start"]) + 1, day_index(row["end"])  # events dated t < day ≤ t + step
            order, expected = truth_order(t0, t1)
            top = set(order[:k].tolist())
            # Low-noise skill: the true expected count in the replay's chosen cells / in the truth's.
            mine = [index[c] for c in chosen.get(step, [])]
            expected_ratios.append(expected[mine].sum() / expected[order[:k]].sum())
            eq, er = grid.cells(project(events[step], crs))
            hits = sum(1 for qq, rr in zip(eq, er) if index.get((int(qq), int(rr))) in top)
            hit_rate = hits / int(row["test_events"])
            truth_pais.append(hit_rate / (k / n))
            pais.append(float(row["pai"]))
            base_pais.append(float(row["baseline_pai"]))
        mp, mt, mb = np.mean(pais), np.mean(truth_pais), np.mean(base_pais)
        print("%-28s %-12s %6d %9.2f %9.2f %7.3f %9.2f %7.3f %7.3f" % (
            os.path.basename(out.rstrip("/")), meta.get("forecast", "kde"), len(pais), mp, mt, mp / mt, mb, mb / mt,
            np.mean(expected_ratios)))


if __name__ == "__main__":
    main()
