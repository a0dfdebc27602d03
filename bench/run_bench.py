#!/usr/bin/env python3
"""make bench: wall time and peak memory per stage of routerisk runs.

Runs the release binary on the bundled sample scene and on a generated scene of
200,000 interceptions and 10,000 routes (data/make_scene.py, seed 7, cached in
.build-bench/), with --timings, and prints one table per run. Timings come from
the program itself (wall clock per stage, peak resident memory = VmHWM when the
stage ended); the total is the wall time of the whole process.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "routerisk")
CACHE = os.path.join(ROOT, ".build-bench")
BENCH_SCENE = os.path.join(CACHE, "scene-200k-10k-seed7")


def ensure_bench_scene():
    if os.path.exists(os.path.join(BENCH_SCENE, "scene.toml")):
        return
    os.makedirs(CACHE, exist_ok=True)
    print(f"generating the bench scene in {BENCH_SCENE} …", flush=True)
    t0 = time.time()
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "data", "make_scene.py"), "--seed", "7",
                    "--routes", "10000", "--events", "200000", "--out", BENCH_SCENE], check=True)
    print(f"  generated in {time.time() - t0:.1f} s", flush=True)


def run(name, args):
    out = os.path.join(CACHE, "out-" + name.replace(" ", "-"))
    cmd = [BIN] + args + ["--out", out, "--overwrite", "--quiet", "--timings"]
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t0
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        raise SystemExit(f"{name}: exit status {p.returncode}")
    print(f"\n{name}: {' '.join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in args)}")
    print(f"  {'stage':<18}{'wall s':>9}{'peak MiB':>11}")
    for line in p.stderr.splitlines():
        if line.startswith("stage "):
            parts = line.split()
            # stage NAME... SECONDS s peak MIB MiB
            mib = parts[-2]
            secs = parts[-5]
            stage = " ".join(parts[1:-5])
            print(f"  {stage:<18}{float(secs):>9.3f}{float(mib):>11.1f}")
    print(f"  {'total (process)':<18}{wall:>9.3f}")
    return wall


def main():
    if not os.path.exists(BIN):
        raise SystemExit("build first: make build")
    os.makedirs(CACHE, exist_ok=True)
    print(f"routerisk bench on {os.cpu_count()} cores")
    run("sample score", ["score"])
    ensure_bench_scene()
    scene = ["--scene", BENCH_SCENE, "--cell", "5km"]
    totals = {}
    totals["bench score (emerging on)"] = run("bench score", ["score"] + scene)
    totals["bench score, 999 permutations"] = run(
        "bench score 999 permutations", ["score", "--permutations", "999", "--seed", "1"] + scene)
    totals["bench replay, 24 steps"] = run(
        "bench replay 24 steps", ["replay", "--from", "2024-01-01", "--to", "2025-11-27", "--step", "30d"] + scene)
    print("\ntotals (whole process, wall):")
    for name, wall in totals.items():
        print(f"  {name:<32}{wall:>8.1f} s")
    print("target: bench score under 30 s")


if __name__ == "__main__":
    main()
