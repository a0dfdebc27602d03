#!/usr/bin/env python3
"""The figures of docs/PERFORMANCE.md from `make bench`'s .build-bench/results.json.

  /usr/bin/python3 bench/plot_bench.py            # writes docs/performance-scaling.svg, prints the tables

For each bench scene and cell size the latest score run is used. Prints (Markdown)
the table of wall seconds and peak MiB per stage, and for the largest run the
arithmetic bound of each stage next to its measured time; writes a log-log SVG of
whole-run wall time against events for 5 km and 2 km cells (no plotting library:
the SVG is written directly).

Bounds: a count of elementary operations (an add, a compare, a multiply, a byte
read or written, a hash-free array read) from the sizes of the run, at one
operation per nanosecond per core on 2 cores, i.e. 2e9 operations per second;
the per-stage formulas are in stage_bounds below and in docs/PERFORMANCE.md.
"""
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, ".build-bench", "results.json")
SVG = os.path.join(ROOT, "docs", "performance-scaling.svg")
OPS_PER_SECOND = 2e9
MONTHS = 72        # the bench scenes run 2020-01 .. 2025-12
BAND_CELLS = 19    # cells within the default band (2 cells) of a cell, self included
REACH_KM = 50      # the default --reach


def latest_runs(path):
    runs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("scene") and r["name"].endswith(" km") and "score" in r["name"]:
                runs[(r["scene"], r["cell_km"])] = r
    return runs


def scene_sizes(scale):
    """Vertices of the lines and bytes of the interceptions of a bench scene (for the bounds)."""
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    from run_bench import scene_dir  # noqa: E402
    d = scene_dir(scale)
    vertices = {}
    for layer in ("coastline", "borders", "routes"):
        with open(os.path.join(d, layer + ".geojson"), encoding="utf-8") as f:
            feats = json.load(f)["features"]
        n = 0
        length = 0.0
        for feat in feats:
            g = feat["geometry"]
            parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
            n += sum(len(p) for p in parts)
            for p in parts:
                length += sum(lonlat_metres(a, b) for a, b in zip(p, p[1:]))
        vertices[layer] = (n, len(feats))
        if layer == "routes":
            vertices["route metres"] = (length, len(feats))
    return vertices, os.path.getsize(os.path.join(d, "interceptions.csv"))


def lonlat_metres(a, b):
    """Length of a short lon/lat segment in metres (equirectangular; ample for a count of footprint pieces)."""
    k = math.pi / 180 * 6371008.8
    dx = (b[0] - a[0]) * k * math.cos((a[1] + b[1]) / 2 * math.pi / 180)
    return math.hypot(dx, (b[1] - a[1]) * k)


def run_summary(run):
    """The summary.json that the bench run wrote (its forecast's σ and event counts)."""
    out = os.path.join(ROOT, ".build-bench", "out-" + run["name"].replace(" ", "-").replace(",", ""))
    try:
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
            return json.load(f)
    except OSError:
        return {}


def stage_bounds(run, vertices, csv_bytes):
    """Elementary operations per stage, with the formula."""
    N = run["events_used"]
    n = run["cells"]
    c = run["crowding"]
    cell_m = run["cell_km"] * 1000
    route_vertices, routes = vertices["routes"]
    route_metres = vertices["route metres"][0]
    line_vertices = sum(v for k, (v, _) in vertices.items() if k != "route metres")
    columns = 2 * REACH_KM * 1000 / (1.5 * cell_m / math.sqrt(3))  # hex columns a segment's reach spans
    out_bytes = run.get("output_bytes")
    if not out_bytes:  # results of a bench before output_bytes was recorded: the output directory as it is
        out = os.path.join(ROOT, ".build-bench", "out-" + run["name"].replace(" ", "-").replace(",", ""))
        out_bytes = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    return {
        "load": (8 * csv_bytes, "8 ops per CSV byte (scan, split, convert)"),
        "project": (60 * (N + line_vertices), "60 ops per projected point (events and line vertices)"),
        "study area": (40 * line_vertices * columns + 2 * n,
                       "40 ops per (segment, hex column within reach) and 2 per cell"),
        "route geometry": (20 * N * c + 200 * route_vertices,
                           "20 ops per event–route point–segment test (events × crowding), 200 per route vertex"),
        "kernel density": (10 * (N + n) * 25, "10 ops per kernel term, ~25 terms per point within 4 h"),
        "weights": (5 * n * BAND_CELLS * 2, "5 ops per (cell, band offset) lookup, counted and filled"),
        "gi*": (n * BAND_CELLS + 40 * n, "one add per neighbour, 40 ops per z and p"),
        "emerging": (n * MONTHS * 6 + N * BAND_CELLS * 2, "6 ops per (cell, month), 2 per (event, neighbour)"),
        "routes": (5 * N * c + 10 * 25 * route_metres / (cell_m / 2) + 50 * routes * MONTHS,
                   "5 ops per (route, corridor event) tallied (events × crowding), 10 per kernel term at the route "
                   "samples (every s/2, ~25 terms each), 50 per (route, month)"),
        "forecast": forecast_bound(run, N, c, cell_m, route_metres),
        "write": (10 * out_bytes, "10 ops per byte of GeoJSON written"),
    }


def forecast_bound(run, N, c, cell_m, route_metres):
    """MODEL §13: the event–route pairs within b_att, one step per footprint piece, the background KDE."""
    forecast = run_summary(run).get("forecast", {})
    sigma = forecast.get("jitter_km", 1.5) * 1000
    b_att = forecast.get("attribution_distance_km", 3) * 1000
    background = forecast.get("background_events", 0)
    bandwidth = forecast.get("background_bandwidth_km", 5) * 1000
    # Pairs within b_att: at least those within the 2 km corridor (events × crowding) when b_att ≥ 2 km (at 1 M:
    # 193 M within 3 km against 164 M within 2 km).
    pairs = N * c * min(1.0, b_att / 2000)
    pieces = route_metres / min(sigma / 2, cell_m / 10)
    # Cells within the background bandwidth of an event (hex cells of area √3/2·s²).
    terms = math.pi * bandwidth ** 2 / (math.sqrt(3) / 2 * cell_m ** 2)
    return (30 * pairs + 2 * pieces + 10 * background * terms,
            f"30 ops per event–route pair within 2 km (events × crowding; fewer than within b_att), 2 per footprint "
            f"piece (σ = {sigma:g} m), 10 per background kernel term")


def table(runs):
    keys = sorted(runs, key=lambda k: (runs[k]["events"], -k[1]))
    stages = []
    for k in keys:
        for s in runs[k]["stages"]:
            if s["stage"] not in stages:
                stages.append(s["stage"])
    head = "| stage | " + " | ".join(f"{k[0]} / {k[1]} km" for k in keys) + " |"
    lines = [head, "|---|" + "---:|" * len(keys)]
    for stage in stages:
        cells = []
        for k in keys:
            s = next((s for s in runs[k]["stages"] if s["stage"] == stage), None)
            cells.append(f"{s['wall_s']:.2f} s, {s['peak_mib']:.0f} MiB" if s else "–")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines.append("| **whole process** | " + " | ".join(
        f"**{runs[k]['wall_s']:.2f} s, {runs[k]['peak_mib']:.0f} MiB**" for k in keys) + " |")
    lines.append("| events used | " + " | ".join(f"{runs[k]['events_used']:,}" for k in keys) + " |")
    lines.append("| cells | " + " | ".join(f"{runs[k]['cells']:,}" for k in keys) + " |")
    lines.append("| crowding (routes per event) | " + " | ".join(f"{runs[k]['crowding']:.1f}" for k in keys) + " |")
    lines.append("| load average when measured | " + " | ".join(f"{runs[k]['load_average']:.1f}" for k in keys) + " |")
    return "\n".join(lines)


def bounds_table(run, vertices, csv_bytes):
    lines = ["| stage | operations (formula) | bound at 2·10⁹ ops/s | measured | measured / bound | cores busy (cpu / wall) |",
             "|---|---|---:|---:|---:|---:|"]
    bounds = stage_bounds(run, vertices, csv_bytes)
    for s in run["stages"]:
        if s["stage"] not in bounds:
            continue
        ops, formula = bounds[s["stage"]]
        t = ops / OPS_PER_SECOND
        busy = f"{s['cpu_s'] / s['wall_s']:.1f}" if "cpu_s" in s and s["wall_s"] > 0 else "–"
        lines.append(f"| {s['stage']} | {ops:.2g} ({formula}) | {t:.3f} s | {s['wall_s']:.3f} s | {s['wall_s'] / t:.1f}× | {busy} |")
    return "\n".join(lines)


def svg(runs):
    W, H, L, R, T, B = 640, 420, 70, 150, 30, 55
    pts = {5: [], 2: []}
    for (scale, cell), r in runs.items():
        pts.setdefault(cell, []).append((r["events"], r["wall_s"]))
    xs = [x for v in pts.values() for x, _ in v]
    ys = [y for v in pts.values() for _, y in v]
    if not xs:
        raise SystemExit("no bench score runs in " + RESULTS)
    x0, x1 = 10 ** math.floor(math.log10(min(xs))), 10 ** math.ceil(math.log10(max(xs)))
    y0, y1 = 10 ** math.floor(math.log10(min(ys))), 10 ** math.ceil(math.log10(max(ys)))
    if x1 == x0:
        x1 *= 10
    if y1 == y0:
        y1 *= 10

    def px(x):
        return L + (W - L - R) * (math.log10(x) - math.log10(x0)) / (math.log10(x1) - math.log10(x0))

    def py(y):
        return H - B - (H - T - B) * (math.log10(y) - math.log10(y0)) / (math.log10(y1) - math.log10(y0))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{L}" y="18" font-size="14">routerisk score: whole-run wall time against events (log–log)</text>']
    e = int(math.log10(x0))
    while 10 ** e <= x1:
        x = px(10 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{H - B + 16}" text-anchor="middle">{10 ** e:,}</text>')
        e += 1
    e = int(math.log10(y0))
    while 10 ** e <= y1:
        y = py(10 ** e)
        out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g} s</text>')
        e += 1
    out.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#444"/>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">interceptions (events)</text>')
    colours = {5: "#1f77b4", 2: "#d62728"}
    for i, (cell, v) in enumerate(sorted(pts.items(), reverse=True)):
        v = sorted(v)
        if not v:
            continue
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in v)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colours[cell]}" stroke-width="2"/>')
        for x, y in v:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{colours[cell]}"/>')
            out.append(f'<text x="{px(x) + 6:.1f}" y="{py(y) - 6:.1f}" fill="{colours[cell]}">{y:.1f} s</text>')
        ly = T + 20 + 20 * i
        out.append(f'<line x1="{W - R + 15}" y1="{ly}" x2="{W - R + 40}" y2="{ly}" stroke="{colours[cell]}" stroke-width="2"/>')
        out.append(f'<text x="{W - R + 46}" y="{ly + 4}">{cell} km cells</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    runs = latest_runs(RESULTS)
    with open(SVG, "w", encoding="utf-8") as f:
        f.write(svg(runs))
    print(f"wrote {os.path.relpath(SVG, ROOT)}\n")
    print(table(runs))
    largest = max(runs.values(), key=lambda r: (r["events"], -r["cell_km"]))
    vertices, csv_bytes = scene_sizes(largest["scene"])
    lines = ", ".join(f"{k} {v[0]:,}" for k, v in vertices.items() if k != "route metres")
    print(f"\nbounds for {largest['scene']} / {largest['cell_km']} km (line vertices: {lines}; routes "
          f"{vertices['route metres'][0] / 1000:,.0f} km long; CSV {csv_bytes:,} bytes)\n")
    print(bounds_table(largest, vertices, csv_bytes))


if __name__ == "__main__":
    main()
