#!/usr/bin/env python3
"""make bench: wall time and peak memory per stage of routerisk runs.

Scenes (data/make_scene.py, seed 7, cached in .build-bench/): 20,000 / 200,000 /
1,000,000 interceptions with 2,000 / 10,000 / 20,000 routes that crowd into the
51 corridors of the sample scene (--variant-share 0.8 --variant-jitter 0.3:1.5:
80 % of the extra routes are variants of a corridor, jittered by 0.3-1.5 km), so
that, as in the Riau straits and West Kalimantan, tens of routes lie within the
2 km corridor of an event (84 at 200 k, 164 at 1 M). Each scene
is scored at 5 km and at 2 km cells (emerging on). Besides: the sample scene,
and at 200 k the 999-permutation score and the 24-step replay.

Per run: wall seconds and peak resident MiB per stage (the program's own
--timings: wall clock per stage, VmHWM when the stage ended), and for the whole
process (wall clock around it; peak = the child's ru_maxrss); the crowding
(sum over routes of the events in the route's corridor / events used) and the
number of cells. Every run is appended to .build-bench/results.json, which
bench/plot_bench.py turns into the table and plot of docs/PERFORMANCE.md.

  BENCH_SCALES="20k 200k 1m" make bench     # the default is 20k and 200k
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("ROUTERISK", os.path.join(ROOT, ".build", "release", "routerisk"))
CACHE = os.path.join(ROOT, ".build-bench")
RESULTS = os.path.join(CACHE, "results.json")
# name: (events, routes, share of the extra routes that are corridor variants): crowding 17 at 20 k, 84 at 200 k
# and 164 at 1 M (the issue: ≥ 40 at 200 k, ≥ 80 at 1 M; a share of 0.45 at 1 M gives only 55, since the events
# of the random coastal crossings have no neighbour). All variants are jittered by 0.3–1.5 km.
SCALES = {"20k": (20_000, 2_000, "0.8"), "200k": (200_000, 10_000, "0.8"), "1m": (1_000_000, 20_000, "0.8")}
VARIANT_JITTER = "0.3:1.5"


def scene_dir(scale):
    events, routes, share = SCALES[scale]
    # The knobs are in the name, so that a cached scene of other knobs is never reused.
    return os.path.join(CACHE, f"scene-{scale}-{routes // 1000}k-v{share}-j{VARIANT_JITTER.replace(':', '-')}")


def ensure_scene(scale):
    out = scene_dir(scale)
    if os.path.exists(os.path.join(out, "scene.toml")):
        return out
    events, routes, share = SCALES[scale]
    print(f"generating {out} …", flush=True)
    t0 = time.time()
    tmp = out + ".tmp"
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "data", "make_scene.py"), "--seed", "7",
                    "--routes", str(routes), "--events", str(events), "--no-check",
                    "--variant-share", share, "--variant-jitter", VARIANT_JITTER,
                    "--out", tmp], check=True)
    os.replace(tmp, out)
    print(f"  generated in {time.time() - t0:.1f} s", flush=True)
    return out


def crowding(out):
    """(sum over routes of the events in its corridor / events used, events used, cells)."""
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    used = summary["inputs"]["interceptions"]["used"]
    in_corridors = 0
    routes = os.path.join(out, "routes.geojson")
    if os.path.exists(routes):
        with open(routes, encoding="utf-8") as f:
            in_corridors = sum(feat["properties"]["events"] for feat in json.load(f)["features"])
    return (in_corridors / used if used else 0.0), used, summary.get("n")


def run(name, args, scene_label=None, events=None, cell_km=None):
    out = os.path.join(CACHE, "out-" + name.replace(" ", "-").replace(",", ""))
    cmd = [BIN] + args + ["--out", out, "--overwrite", "--quiet", "--timings"]
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.time() - t0
    stderr = p.stderr.read()
    p.stderr.close()
    if status != 0:
        print(stderr, file=sys.stderr)
        raise SystemExit(f"{name}: exit status {os.waitstatus_to_exitcode(status)}")
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    stages = []
    for line in stderr.splitlines():
        if line.startswith("stage "):
            parts = line.split()
            # stage NAME... SECONDS s cpu SECONDS s peak MIB MiB
            stages.append((" ".join(parts[1:-8]), float(parts[-8]), float(parts[-5]), float(parts[-2])))
    crowd, used, cells = crowding(out) if args[0] == "score" else (None, None, None)
    shown = " ".join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in args)
    print(f"\n{name}: {shown}")
    if crowd is not None:
        print(f"  events used {used:,}, cells {cells:,}, crowding {crowd:.1f} routes per event "
              "(events in corridors / events used)")
    print(f"  {'stage':<18}{'wall s':>9}{'cpu s':>9}{'peak MiB':>11}")
    for stage, secs, cpu_s, mib in stages:
        print(f"  {stage:<18}{secs:>9.3f}{cpu_s:>9.3f}{mib:>11.1f}")
    print(f"  {'total (process)':<18}{wall:>9.3f}{cpu:>9.3f}{peak:>11.1f}")
    output_bytes = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out)) if os.path.isdir(out) else None
    record = dict(name=name, args=shown, scene=scene_label, events=events, cell_km=cell_km, wall_s=wall,
                  output_bytes=output_bytes,
                  cpu_s=cpu, peak_mib=peak, crowding=crowd, events_used=used, cells=cells,
                  stages=[dict(stage=s, wall_s=w, cpu_s=c, peak_mib=m) for s, w, c, m in stages],
                  measured=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  load_average=os.getloadavg()[0], cores=os.cpu_count())
    with open(RESULTS, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    PEAKS[name] = peak
    return wall


PEAKS = {}


def print_targets(totals):
    """Issue 7's targets against this bench's single runs (a verdict for each one measured)."""
    print("targets (issue 7), against these single runs (binaries are compared by alternating pairs, "
          "docs/PERFORMANCE.md):")

    def verdict(ok):
        return "met" if ok else "not met"

    if "200k score 5 km" in totals:
        w = totals["200k score 5 km"]
        print(f"  200k score 5 km ≤ 1.0 s: {w:.1f} s, {verdict(w <= 1.0)}")
    if "1m score 2 km" in totals:
        w, peak = totals["1m score 2 km"], PEAKS.get("1m score 2 km", float("inf"))
        print(f"  1m score 2 km ≤ 4 s and ≤ 2 GiB peak: {w:.1f} s, {verdict(w <= 4.0)}; "
              f"{peak:,.0f} MiB, {verdict(peak <= 2048)}")
    else:
        print("  1m score 2 km ≤ 4 s and ≤ 2 GiB peak: not run (BENCH_SCALES=\"20k 200k 1m\")")
    if "200k replay 5 km, 24 steps" in totals:
        w = totals["200k replay 5 km, 24 steps"]
        print(f"  200k replay 24 steps ≤ 5 s: {w:.1f} s, {verdict(w <= 5.0)}")
    if "200k score 5 km, 999 permutations" in totals and "200k score 5 km" in totals:
        extra = totals["200k score 5 km, 999 permutations"] - totals["200k score 5 km"]
        print(f"  999 permutations ≤ +1 s: {extra:+.1f} s, {verdict(extra <= 1.0)}")


def main():
    if not os.path.exists(BIN):
        raise SystemExit("build first: make build")
    os.makedirs(CACHE, exist_ok=True)
    scales = os.environ.get("BENCH_SCALES", "20k 200k").split()
    for s in scales:
        if s not in SCALES:
            raise SystemExit(f"BENCH_SCALES: unknown scale {s!r} (known: {' '.join(SCALES)})")
    print(f"routerisk bench on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          f"(results appended to {os.path.relpath(RESULTS, ROOT)})")
    run("sample score", ["score"])
    totals = {}
    for scale in scales:
        scene = ensure_scene(scale)
        events = SCALES[scale][0]
        for cell in (5, 2):
            name = f"{scale} score {cell} km"
            totals[name] = run(name, ["score", "--scene", scene, "--cell", f"{cell}km"], scale, events, cell)
        if scale == "200k":
            five = ["--scene", scene, "--cell", "5km"]
            totals["200k score 5 km, 999 permutations"] = run(
                "200k score 5 km 999 permutations", ["score", "--permutations", "999", "--seed", "1"] + five,
                scale, events, 5)
            totals["200k replay 5 km, 24 steps"] = run(
                "200k replay 5 km 24 steps", ["replay", "--from", "2024-01-01", "--to", "2025-11-27", "--step", "30d"]
                + five, scale, events, 5)
    print("\ntotals (whole process, wall):")
    for name, wall in totals.items():
        print(f"  {name:<36}{wall:>8.1f} s")
    print_targets(totals)


if __name__ == "__main__":
    main()
