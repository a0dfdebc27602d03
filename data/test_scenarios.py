#!/usr/bin/python3
"""Checks of make_scene.py's scenario knobs (--open, --close, --displace).

Plain Python, no pytest; run it with Debian's python (make_scene.py needs the
apt shapely):

  /usr/bin/python3 data/test_scenarios.py

Exits 0 when every check passes, 1 otherwise. About 20 s: it regenerates the
scene four times into temporary directories (nothing in data/ is written).
  1. No knob: every file is byte-identical to the committed scene in data/
     (sha256 computed here, at run time, from data/).
  2. The README's exercise (--close K04, --displace K04->K03, --open T03).
  3. Sea routes and a mid-month date (--close R01 on the 15th with a post
     name, --displace R01->R06, --open M04 at its own rate).
  4. --hide: the same interceptions, the routes left out of routes.geojson, recorded in the truth.
  5. Bad knobs: exit status 2 and a message naming the knob.
  Also: truth-process.json's expected counts agree with truth.json's.
"""
import datetime
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "make_scene.py")
FILES = ("interceptions.csv", "routes.geojson", "posts.geojson", "truth.json", "scene.toml",
         "coastline.geojson", "borders.geojson")
EXERCISE = ["--close", "K04:2024-07-01", "--displace", "K04:K03:2024-07-01:0.8", "--open", "T03:2025-03-01:3"]
SEA = ["--close", "R01:2023-01-15:Nongsa TPI (synthetic)", "--open", "M04:2022-06-01",
       "--displace", "R01:R06:2023-01-15:0.5"]

failures = []


def check(ok, what):
    print("%s  %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        failures.append(what)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def generate(out, args):
    p = subprocess.run([sys.executable, GEN, "--out", out] + args, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr[-2000:], file=sys.stderr)
        raise SystemExit("make_scene.py %s failed with status %d" % (" ".join(args), p.returncode))


def load(d, name):
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return json.load(f)


def route(truth, rid):
    return next(r for r in truth["route_truth"] if r["id"] == rid)


def months(r, before=None, since=None):
    """The route's generated monthly counts, in months before / since 'YYYY-MM'."""
    return [n for m, n in r["events_monthly"].items()
            if (before is None or m < before) and (since is None or m >= since)]


def mean(xs):
    return sum(xs) / len(xs)


def csv_events_near(d, coords, km):
    """(date, within km of the polyline) for every interception in d."""
    spec = importlib.util.spec_from_file_location("make_scene", GEN)
    ms = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ms)
    xs, ys = [p[0] for p in coords], [p[1] for p in coords]
    line = [((min(xs), min(ys), max(xs), max(ys)), [tuple(p) for p in coords])]
    out = []
    with open(os.path.join(d, "interceptions.csv"), encoding="utf-8") as f:
        next(f)
        for row in f:
            _, date, lon, lat = row.split(",")[:4]
            p = (float(lon), float(lat))
            if min(xs) - 0.1 <= p[0] <= max(xs) + 0.1 and min(ys) - 0.1 <= p[1] <= max(ys) + 0.1:
                out.append((date, ms.nearest_on_lines(line, p, 0.2)[0] <= km))
    return out


def main():
    with tempfile.TemporaryDirectory(prefix="routerisk-scenarios-") as tmp:
        # 1. no knob: byte-identical to data/
        plain = os.path.join(tmp, "plain")
        generate(plain, [])
        for fn in FILES:
            check(sha256(os.path.join(plain, fn)) == sha256(os.path.join(HERE, fn)),
                  "no knob: %s is byte-identical to data/%s" % (fn, fn))
        base = load(HERE, "truth.json")
        # truth-process.json (for data/truth_skill.py) agrees with truth.json's expected counts.
        tp = load(plain, "truth-process.json")
        worst = max(abs(sum(r["expected_monthly"]) - route(base, r["id"])["expected_events"]) for r in tp["routes"])
        days = lambda lo, hi: (datetime.date.fromisoformat(hi) - datetime.date.fromisoformat(lo)).days + 1
        worst_daily = max(abs(sum(e * days(lo, hi) for lo, hi, e in r["expected_daily"]) - sum(r["expected_monthly"]))
                          for r in tp["routes"] + [tp["background"]])
        check(worst < 0.01 and worst_daily < 1e-4 and abs(sum(tp["background"]["expected_monthly"]) - base["background_events"]) < 1e-3
              and all(r["listed"] and len(r["points"]) == 500 for r in tp["routes"]) and len(tp["background"]["points"]) == 5000,
              "truth-process.json: per-route expected counts equal truth.json's (worst %.3f), daily pieces sum to the months" % worst)

        # 2. the README's exercise
        ex = os.path.join(tmp, "exercise")
        generate(ex, EXERCISE)
        t = load(ex, "truth.json")
        check(sha256(os.path.join(ex, "routes.geojson")) == sha256(os.path.join(HERE, "routes.geojson")),
              "exercise: routes.geojson unchanged (knobs do not move routes)")
        check([k["arg"] for k in t["scenario"]] == ["K04:2024-07-01", "K04:K03:2024-07-01:0.8", "T03:2025-03-01:3"]
              and [k["knob"] for k in t["scenario"]] == ["close", "displace", "open"],
              "exercise: truth.json scenario lists the knobs as given, in order")
        k04, k03, t03 = route(t, "K04"), route(t, "K03"), route(t, "T03")
        check(k04["closes"] == "2024-07-01" and sum(months(k04, since="2024-07")) == 0
              and k04["last_event"] < "2024-07-01" and sum(months(k04, before="2024-07")) > 300,
              "--close: K04 has events before 2024-07-01 and none on or after it (last %s)" % k04["last_event"])
        check(k04["displaced_to"] == [{"route": "K03", "date": "2024-07-01", "share": 0.8}]
              and k03["displaced_from"] == [{"route": "K04", "date": "2024-07-01", "share": 0.8}],
              "--displace: K04 displaced_to / K03 displaced_from recorded with date and share")
        b, a = months(k03, before="2024-07"), months(k03, since="2024-07")
        check(min(a) > mean(b) and mean(a) > 3 * mean(b),
              "--displace: every K03 month from 2024-07 (min %d, mean %.1f) exceeds its earlier mean %.2f"
              % (min(a), mean(a), mean(b)))
        check(sum(months(t03, before="2025-03")) == 0 and t03["first_event"] >= "2025-03-01"
              and sum(months(t03, since="2025-03")) > 10,
              "--open: T03 has no events before 2025-03-01 and %d after (first %s)"
              % (sum(months(t03, since="2025-03")), t03["first_event"]))
        check(t03["profile"] == "opening" and t03["opens"] == "2025-03-01" and t03["relative_rate"] == 3.0
              and t03["near_zero"] is False and t03["base_profile"] == "near_zero",
              "--open: T03's truth says opening on 2025-03-01 at rate 3 (was near_zero)")
        untouched = [r for r in t["route_truth"] if "changes" not in r]
        worst = max(abs(r["expected_events"] / route(base, r["id"])["expected_events"] - 1)
                    for r in untouched if route(base, r["id"])["expected_events"] > 0)
        check(len(untouched) == 48 and worst < 0.01,
              "untouched routes keep their expected counts (worst %.2f %% off)" % (100 * worst))
        posts, bposts = load(ex, "posts.geojson")["features"], load(HERE, "posts.geojson")["features"]
        new = posts[-1]["properties"]
        check(posts[:-1] == bposts and new == {"name": "New post on K04 (synthetic)", "kind": "land", "agency": "PLBN",
                                               "approximate": False, "opened": "2024-07-01", "synthetic": True},
              "--close: posts.geojson = the 16 posts + 'New post on K04 (synthetic)', land, opened 2024-07-01")
        k04_coords = next(f["geometry"]["coordinates"] for f in load(ex, "routes.geojson")["features"]
                          if f["properties"]["id"] == "K04")
        near = csv_events_near(ex, k04_coords, 2.0)
        after = sum(1 for d, n in near if n and d >= "2024-07-01")
        before = sum(1 for d, n in near if n and d < "2024-07-01")
        check(before > 300 and after <= 3,
              "interceptions.csv: %d events within 2 km of K04 before 2024-07-01, %d after (background only)"
              % (before, after))

        # 3. sea routes, a mid-month date, a post name, the default rate
        sea = os.path.join(tmp, "sea")
        generate(sea, SEA)
        t = load(sea, "truth.json")
        r01, r06, m04 = route(t, "R01"), route(t, "R06"), route(t, "M04")
        check(r01["last_event"] < "2023-01-15" and r01["events_monthly"]["2023-01"] > 0
              and sum(months(r01, since="2023-02")) == 0,
              "--close mid-month: R01 has events in 2023-01 up to %s, none from 2023-01-15" % r01["last_event"])
        new = load(sea, "posts.geojson")["features"][-1]
        check(new["properties"]["name"] == "Nongsa TPI (synthetic)" and new["properties"]["kind"] == "sea"
              and new["properties"]["agency"] == "TPI" and new["properties"]["opened"] == "2023-01-15",
              "--close on a sea route: a TPI post named as given, kind sea")
        ms_spec = importlib.util.spec_from_file_location("make_scene", GEN)
        ms = importlib.util.module_from_spec(ms_spec)
        ms_spec.loader.exec_module(ms)
        r01_start = next(f["geometry"]["coordinates"] for f in load(sea, "routes.geojson")["features"]
                         if f["properties"]["id"] == "R01")[0]
        check(ms.dist_km(r01_start, new["geometry"]["coordinates"]) < 8.0,
              "--close on a sea route: the post is at the landing, %.1f km from the route's start"
              % ms.dist_km(r01_start, new["geometry"]["coordinates"]))
        b, a = months(r06, before="2023-01"), months(r06, since="2023-02")
        check(mean(a) > 2 * mean(b), "--displace: R06's monthly mean rises from %.2f to %.2f" % (mean(b), mean(a)))
        check(m04["relative_rate"] == 0.02 and m04["opens"] == "2022-06-01"
              and (m04["first_event"] is None or m04["first_event"] >= "2022-06-01"),
              "--open without RATE: M04 opens at its own rate (0.02) with no event before the date")
        check([k["knob"] for k in t["scenario"]] == ["close", "open", "displace"],
              "scenario keeps the command-line order across knob types")

        # 4. --hide: the events stay, the routes are not listed
        hid = os.path.join(tmp, "hide")
        generate(hid, ["--hide", "K02", "--hide", "N01"])
        ids = [f["properties"]["id"] for f in load(hid, "routes.geojson")["features"]]
        tp = load(hid, "truth-process.json")
        check(sha256(os.path.join(hid, "interceptions.csv")) == sha256(os.path.join(HERE, "interceptions.csv"))
              and len(ids) == 49 and "K02" not in ids and "N01" not in ids
              and load(hid, "truth.json")["hidden_routes"] == ["K02", "N01"]
              and sorted(r["id"] for r in tp["routes"] if not r["listed"]) == ["K02", "N01"],
              "--hide K02 --hide N01: same interceptions, 49 routes listed, truth records both as hidden")
        p = subprocess.run([sys.executable, GEN, "--out", os.path.join(tmp, "bad"), "--hide", "K99"], capture_output=True, text=True)
        check(p.returncode == 2 and "--hide K99" in p.stderr and not os.path.exists(os.path.join(tmp, "bad")),
              "--hide K99: exit %d, %s" % (p.returncode, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""))

        # 5. bad knobs
        for args, knob in ((["--close", "K99:2024-07-01"], "--close"), (["--open", "T03:2025-02-30"], "--open"),
                           (["--open", "T03:2025-3-1"], "--open"), (["--displace", "K04:K03:2024-07-01:1.5"], "--displace"),
                           (["--displace", "K04:X9:2024-07-01"], "--displace"), (["--open", "T03:2027-01-01:2"], "--open"),
                           (["--close", "K04:2024-07-01", "--close", "K04:2024-09-01"], "--close")):
            out = os.path.join(tmp, "bad")
            p = subprocess.run([sys.executable, GEN, "--out", out] + args, capture_output=True, text=True)
            last = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
            check(p.returncode == 2 and ("argument %s:" % knob) in last and not os.path.exists(out),
                  "%s: exit %d, %s" % (" ".join(args), p.returncode, last))
    print("%d check(s) failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
