#!/usr/bin/python3
"""Seeded generator of routerisk's sample scene (SYNTHETIC routes and events).

Writes into --out: routes.geojson, interceptions.csv, posts.geojson, scene.toml,
truth.json, and a copy of coastline.geojson and borders.geojson (taken from
--geo, default: the directory of this script, made by make_geography.py).

Everything random comes from one random.Random(--seed); the output is the same
byte for byte for the same arguments and input geography (shapely is only used
to check the routes, never to make them).

  /usr/bin/python3 data/make_scene.py                       # the bundled scene
  /usr/bin/python3 data/make_scene.py --seed 7 --routes 10000 --events 200000 \\
      --out /tmp/bench-scene                                # the bench scene

Routes. The 51 hand-made corridors below (tables LAND and SEA) are the sample
scene: land routes cross the Indonesian land borders (Kalimantan-Sarawak/Sabah incl. Sebatik,
Timor incl. Oecusse, Papua-PNG) at least 10 km from every PLBN post; sea routes
start 1.5-6 km inland on an Indonesian coast, cross the shoreline there and end
at sea 0.5-3 km off the foreign coast (Johor, Singapore, Melaka, Penang, Port
Klang, Tawau, Christmas Island) or, for Ashmore Reef (123.0E 12.25S, outside
the box), where the route meets 11.99S inside the box. With --routes above 51
the extra routes are jittered variants / sub-segments of those (60 %) and
random short crossings of Indonesian coasts (40 %). Bench knobs: --variant-share F
sets that 60 % and --variant-jitter LO:HI the variants' jitter (sd uniform in
1.0-4.0 km by default); make bench uses 0.8 and 0.3:1.5, so that routes crowd
into the corridors as in the Riau straits (tens of routes within 2 km of an
event). With the defaults the output is unchanged.

Events. Per route a relative base rate and a monthly profile over 2020-01 ..
2025-12: flat, rising (x0.2 -> x1.8, linear), falling (x1.8 -> x0.2), opening
(0 before a date, flat after), intensifying (x1 -> x2.5, busy throughout),
surging (x0.15, then a sharp rise over the last quarter) or near_zero, times a
mild seasonal factor.
(route, month) pairs are drawn with random.choices; the day is uniform in the
month; the point is at a uniform distance along the route (sea routes: 55 %
within a few km of the Indonesian landing) plus an isotropic Gaussian offset of
sd 0.5-1.5 km (per route). 15 % of the events are a diffuse background: a
random point of an Indonesian coast or border (length-weighted) plus a Gaussian
offset of sd 8 km. persons = 1 + geometric (mean ~1.8 on land, ~5 at sea, ~14
on the Christmas Island / Ashmore routes), 0 in 3 % of events.

Scenario knobs (repeatable; dates YYYY-MM-DD within 2020-01-01 .. 2025-12-31;
they change only the rates of the routes they name, before events are drawn;
with no knob the output is exactly the bundled scene):
  --open ROUTE:DATE[:RATE]          no traffic before DATE, then RATE (default:
                                    the route's own relative rate) with a flat
                                    profile
  --close ROUTE:DATE[:POSTNAME]     a new post opens on DATE where the route
                                    crosses the border (land) or lands on the
                                    coast (sea): no traffic on the route from
                                    DATE on; the post is added to posts.geojson
                                    (opened = DATE, synthetic = true)
  --displace FROM:TO:DATE[:SHARE]   from DATE on, SHARE (default 1.0) of FROM's
                                    traffic moves to route TO (TO keeps its own)
A route's own demand is its profile (or --open); --displace moves shares of
that demand to other routes; --close stops everything left on the route,
displaced traffic included (close FROM and displace 0.8 of it: 20 % of its
traffic is deterred). --events is the count without knobs: the knobs add or
remove route events at the same scale, so untouched routes keep their
expected counts. truth.json records the knobs ("scenario") and, per touched
route, what they did. Example exercise (see data/README.md):
  /usr/bin/python3 data/make_scene.py --out /tmp/exercise --close K04:2024-07-01 \\
      --displace K04:K03:2024-07-01:0.8 --open T03:2025-03-01:3
"""
import argparse
import bisect
import datetime
import json
import math
import os
import random
import re
import shutil
import sys
import time

BOX = (94.0, -12.0, 142.0, 8.0)
START_YEAR, END_YEAR = 2020, 2025
MONTHS = [(y, m) for y in range(START_YEAR, END_YEAR + 1) for m in range(1, 13)]
DEFAULT_EVENTS = 9000
BACKGROUND_SHARE = 0.15
CATEGORIES = ("smuggling_of_migrants", "trafficking_in_persons", "irregular_migration")

# --- posts (approximate positions, DATA-NOTES.md) ------------------------------
POSTS = [
    ("Entikong", "land", 110.355, 1.015), ("Aruk", "land", 109.64, 1.67),
    ("Badau", "land", 111.86, 1.03), ("Jagoi Babang", "land", 110.06, 1.39),
    ("Motaain", "land", 124.95, -8.97), ("Motamasin", "land", 125.14, -9.46),
    ("Wini", "land", 124.47, -9.18), ("Skouw", "land", 140.99, -2.62),
    ("Sota", "land", 141.01, -8.42),
    ("Batam Centre", "sea", 104.05, 1.13), ("Sekupang", "sea", 103.95, 1.12),
    ("Tanjung Balai Karimun", "sea", 103.43, 1.00), ("Tanjung Pinang", "sea", 104.44, 0.92),
    ("Dumai", "sea", 101.45, 1.68), ("Nunukan", "sea", 117.66, 4.14),
    ("Tanjung Uban", "sea", 104.21, 1.07),
]

# --- base routes ----------------------------------------------------------------
# land: (id, name, corridor, approx crossing (lon, lat), bearing into Indonesia
#        (deg, 0 = north, 90 = east), km on the Indonesian side, km on the other
#        side, profile, relative rate, opening date or None, category mix)
# sea:  (id, name, corridor, Indonesian coast point, [waypoints at sea],
#        foreign end point, profile, rate, opening, category mix)
# category mix = weights of (smuggling_of_migrants, trafficking_in_persons,
#                irregular_migration)
KAL, TIM, PAP = "West/North Kalimantan–Sarawak/Sabah", "Timor (incl. Oecusse)", "Papua–Papua New Guinea"
RIAU, MALACCA = "Riau Islands–Johor/Singapore", "Strait of Malacca"
NUN, XMAS, ASH = "Nunukan/Tarakan–Tawau", "Java south coast–Christmas Island", "Rote–Ashmore Reef"
MIX_KAL, MIX_TIM, MIX_PAP = (0.35, 0.35, 0.30), (0.45, 0.15, 0.40), (0.30, 0.10, 0.60)
MIX_STRAIT, MIX_BOAT = (0.45, 0.15, 0.40), (0.85, 0.05, 0.10)
LAND = [
    ("K01", "Paloh–Lundu forest track", KAL, (109.60, 1.84), 270, 8, 10, "flat", 1.0, None, MIX_KAL),
    ("K02", "Aruk bypass (Sajingan Besar)", KAL, (109.76, 1.55), 225, 15, 12, "rising", 2.5, None, MIX_KAL),
    ("K03", "Jagoi Babang bypass (Seluas)", KAL, (110.16, 1.29), 200, 15, 12, "flat", 1.5, None, MIX_KAL),
    ("K04", "Entikong bypass (Sekayam)", KAL, (110.45, 0.95), 200, 18, 14, "intensifying", 5.0, None, MIX_KAL),
    ("K05", "Balai Karangan forest track", KAL, (110.62, 0.87), 180, 15, 15, "falling", 2.5, None, MIX_KAL),
    ("K06", "Badau bypass (Nanga Badau)", KAL, (111.70, 1.00), 180, 14, 14, "flat", 1.2, None, MIX_KAL),
    ("K07", "Lanjak–Lubok Antu track", KAL, (112.15, 1.25), 180, 16, 15, "opening", 2.0, "2023-04-01", MIX_KAL),
    ("K08", "Upper Kapuas (Putussibau) track", KAL, (113.00, 1.55), 180, 25, 20, "near_zero", 0.0, None, MIX_KAL),
    ("K09", "Long Apari–Belaga track", KAL, (114.20, 1.45), 180, 20, 20, "near_zero", 0.0, None, MIX_KAL),
    ("K10", "Long Nawang–Long Busang track", KAL, (114.90, 2.20), 135, 20, 20, "flat", 0.5, None, MIX_KAL),
    ("K11", "Krayan–Ba'kelalan track", KAL, (115.65, 3.75), 90, 12, 12, "falling", 2.0, None, MIX_KAL),
    ("K12", "Simanggaris–Serudong track", KAL, (117.30, 4.30), 180, 12, 12, "flat", 1.5, None, MIX_KAL),
    ("K13", "Sebatik island path", KAL, (117.78, 4.17), 180, 3.5, 3.5, "rising", 2.0, None, MIX_KAL),
    ("T01", "Motaain bypass (Silawan–Batugade)", TIM, (125.03, -9.05), 180, 6, 3, "falling", 2.5, None, MIX_TIM),
    ("T02", "Lamaknen–Maliana track", TIM, (125.18, -9.09), 270, 8, 10, "flat", 1.0, None, MIX_TIM),
    ("T03", "Lamaknen Selatan–Bobonaro track", TIM, (125.01, -9.27), 270, 8, 8, "near_zero", 0.0, None, MIX_TIM),
    ("T04", "Motamasin bypass (Malaka–Suai)", TIM, (125.07, -9.38), 270, 10, 10, "surging", 3.0, None, MIX_TIM),
    ("T05", "Napan–Oecusse track", TIM, (124.41, -9.33), 90, 8, 6, "flat", 1.5, None, MIX_TIM),
    ("T06", "Passabe–Oecusse south path", TIM, (124.30, -9.49), 180, 8, 6, "opening", 1.5, "2022-10-01", MIX_TIM),
    ("T07", "Oepoli–Oecusse west path", TIM, (124.12, -9.41), 225, 8, 6, "falling", 1.8, None, MIX_TIM),
    ("P01", "Skouw–Wutung bush track", PAP, (141.00, -2.76), 270, 14, 8, "flat", 2.0, None, MIX_PAP),
    ("P02", "Waris–Bewani track", PAP, (141.00, -3.10), 270, 20, 15, "near_zero", 0.0, None, MIX_PAP),
    ("P03", "Arso–Amanab track (Keerom)", PAP, (141.00, -3.50), 270, 25, 15, "rising", 1.5, None, MIX_PAP),
    ("P04", "Oksibil–Tabubil track", PAP, (141.00, -5.00), 270, 20, 20, "near_zero", 0.0, None, MIX_PAP),
    ("P05", "Boven Digoel–Fly River track", PAP, (140.90, -6.50), 270, 25, 15, "flat", 0.4, None, MIX_PAP),
    ("P06", "Merauke hinterland–Weam track", PAP, (141.00, -8.05), 270, 25, 15, "falling", 1.5, None, MIX_PAP),
    ("P07", "Sota bypass (Wasur)", PAP, (141.00, -8.56), 270, 20, 12, "flat", 1.8, None, MIX_PAP),
    ("P08", "Kondo–Bula track", PAP, (141.00, -8.92), 270, 15, 10, "opening", 2.0, "2024-06-01", MIX_PAP),
]
SEA = [
    ("R01", "Nongsa (Batam)–Pengerang boat route", RIAU, (104.13, 1.19), [(104.15, 1.27)], (104.17, 1.345), "intensifying", 5.0, None, MIX_STRAIT),
    ("R02", "West Batam–Tanjung Piai boat route", RIAU, (103.93, 1.07), [(103.83, 1.145), (103.66, 1.20)], (103.53, 1.27), "flat", 1.5, None, MIX_STRAIT),
    ("R03", "Karimun–Kukup boat route", RIAU, (103.41, 1.125), [(103.44, 1.22)], (103.452, 1.295), "falling", 3.0, None, MIX_STRAIT),
    ("R04", "Karimun–Batu Pahat boat route", RIAU, (103.315, 1.09), [(103.20, 1.22), (103.05, 1.55)], (102.94, 1.77), "flat", 1.0, None, MIX_STRAIT),
    ("R05", "Lagoi (Bintan)–Desaru boat route", RIAU, (104.40, 1.21), [(104.40, 1.33)], (104.33, 1.45), "opening", 6.0, "2025-09-01", MIX_STRAIT),
    ("R06", "Berakit (Bintan)–Tanjung Penyusop boat route", RIAU, (104.57, 1.23), [(104.48, 1.42)], (104.29, 1.57), "flat", 1.0, None, MIX_STRAIT),
    ("R07", "Batu Ampar (Batam)–Singapore East Coast boat route", RIAU, (104.00, 1.18), [(103.98, 1.235)], (103.93, 1.30), "falling", 2.0, None, MIX_STRAIT),
    ("R08", "Tanjung Uban–Changi boat route", RIAU, (104.23, 1.12), [(104.16, 1.25)], (104.02, 1.36), "flat", 1.2, None, MIX_STRAIT),
    ("M01", "Rupat–Port Dickson boat route", MALACCA, (101.68, 2.09), [(101.82, 2.28)], (101.97, 2.37), "rising", 2.0, None, MIX_STRAIT),
    ("M02", "Bengkalis–Muar boat route", MALACCA, (102.20, 1.57), [(102.40, 1.80)], (102.57, 2.02), "flat", 2.0, None, MIX_STRAIT),
    ("M03", "Dumai–Melaka boat route", MALACCA, (101.70, 1.64), [(101.90, 1.72), (102.10, 1.95)], (102.25, 2.18), "falling", 2.5, None, MIX_STRAIT),
    ("M04", "East Bengkalis–Batu Pahat boat route", MALACCA, (102.45, 1.47), [(102.70, 1.62)], (102.90, 1.83), "near_zero", 0.0, None, MIX_STRAIT),
    ("M05", "Tanjung Balai Asahan–Port Klang boat route", MALACCA, (99.90, 2.98), [(100.60, 2.95)], (101.32, 2.83), "flat", 2.0, None, MIX_STRAIT),
    ("M06", "Bagan Siapiapi–Port Dickson boat route", MALACCA, (100.81, 2.17), [(101.00, 2.20), (101.40, 2.45)], (101.78, 2.51), "flat", 0.6, None, MIX_STRAIT),
    ("M07", "Belawan–Penang boat route", MALACCA, (98.70, 3.79), [(99.50, 4.60)], (100.28, 5.27), "rising", 1.2, None, MIX_STRAIT),
    ("N01", "Nunukan–Tawau boat route", NUN, (117.748, 4.02), [(117.80, 4.01), (117.95, 4.02), (118.02, 4.12), (117.99, 4.20)], (117.97, 4.215), "flat", 2.5, None, MIX_STRAIT),
    ("N02", "Sebatik (Indonesian side)–Tawau boat route", NUN, (117.945, 4.12), [(117.99, 4.15)], (117.975, 4.212), "opening", 1.5, "2021-07-01", MIX_STRAIT),
    ("N03", "Tarakan–Tawau boat route", NUN, (117.66, 3.40), [(117.95, 3.45), (118.10, 3.90), (118.05, 4.12)], (117.985, 4.21), "falling", 1.0, None, MIX_STRAIT),
    ("C01", "Pelabuhan Ratu–Christmas Island boat route", XMAS, (106.54, -6.99), [(106.40, -7.05), (106.25, -7.25), (106.15, -8.60)], (105.67, -10.40), "falling", 1.0, None, MIX_BOAT),
    ("C02", "Ujung Genteng–Christmas Island boat route", XMAS, (106.40, -7.37), [(106.25, -7.60), (106.00, -8.90)], (105.72, -10.41), "near_zero", 0.0, None, MIX_BOAT),
    ("C03", "Cilacap–Christmas Island boat route", XMAS, (109.15, -7.69), [(109.10, -7.85), (107.60, -9.00)], (105.74, -10.44), "flat", 0.4, None, MIX_BOAT),
    ("A01", "Pepela (Rote)–Ashmore Reef boat route", ASH, (123.43, -10.57), [(123.52, -10.75), (123.35, -11.10), (123.10, -11.70)], (123.00, -12.25), "flat", 0.8, None, MIX_BOAT),
    ("A02", "Nemberala (Rote)–Ashmore Reef boat route", ASH, (122.84, -10.92), [(122.80, -11.05)], (123.00, -12.25), "near_zero", 0.0, None, MIX_BOAT),
]
NEAR_ZERO_RATE = 0.02  # relative rate of a near_zero route (~1-2 events in the sample scene)
MIN_POST_KM = 10.0

# A rough outline of Indonesian land and waters (not a legal boundary): the
# background events and the bench's random coastal crossings only use coasts
# and borders inside it (no Malaysia, Singapore, Philippines, Timor-Leste,
# PNG or Australia, no Christmas Island).
INDONESIA_OUTLINE = [
    (94.0, 6.2), (97.0, 6.2), (98.3, 5.6), (99.9, 3.9), (100.65, 2.9), (101.6, 2.3),
    (102.5, 1.8), (103.3, 1.25), (103.55, 1.2), (103.9, 1.21), (104.1, 1.27),
    (104.45, 1.3), (104.9, 1.5), (106.0, 3.6), (107.5, 5.0), (108.9, 4.9), (109.6, 2.3),
    (109.65, 2.05), (109.6, 1.8), (110.0, 1.45), (110.4, 1.0), (110.6, 0.87), (111.2, 1.08),
    (112.0, 1.15), (112.2, 1.55), (113.0, 1.5), (113.7, 1.25), (114.5, 1.45), (114.9, 2.2),
    (115.5, 3.0), (115.65, 4.0), (116.0, 4.35), (117.4, 4.3), (117.6, 4.17), (117.9, 4.18),
    (118.4, 4.1), (120.0, 4.3), (124.5, 4.5), (125.6, 4.8), (126.3, 5.8), (127.3, 5.8),
    (128.5, 4.0), (131.0, 2.0), (135.0, 1.0), (141.0, -0.5), (141.0, -2.6), (141.0, -6.3),
    (140.85, -6.9), (141.0, -7.0), (141.0, -9.1), (141.0, -9.6), (128.0, -9.5),
    (127.5, -8.6), (127.2, -8.25), (126.5, -8.2), (125.8, -8.05), (125.4, -8.1),
    (125.2, -8.45), (124.95, -8.96), (124.97, -9.05), (125.1, -8.97), (125.18, -9.05),
    (125.18, -9.17), (124.98, -9.18), (125.0, -9.3), (125.085, -9.45), (125.1, -10.3),
    (124.0, -10.6), (123.0, -11.9), (120.0, -11.5), (116.0, -11.2), (108.0, -9.8),
    (106.0, -9.2), (104.5, -8.5), (101.0, -6.5), (97.0, -4.0), (94.0, 0.5),
]
# The Oecusse enclave (Timor-Leste) lies inside the outline above; cut it out.
OECUSSE = [(124.04, -9.34), (124.47, -9.17), (124.48, -9.26), (124.36, -9.50),
           (124.28, -9.51), (124.04, -9.36)]


# --- small geometry helpers (degrees <-> local km) -----------------------------
def kx(lat):
    return 111.32 * math.cos(math.radians(lat))


KY = 110.57


def offset(p, dx_km, dy_km):
    return (p[0] + dx_km / kx(p[1]), p[1] + dy_km / KY)


def dist_km(a, b):
    lat = math.radians((a[1] + b[1]) / 2)
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def unit(dx, dy):
    n = math.hypot(dx, dy)
    return (dx / n, dy / n)


def vec_km(a, b):
    """b - a in local km."""
    lat = (a[1] + b[1]) / 2
    return ((b[0] - a[0]) * kx(lat), (b[1] - a[1]) * KY)


def nearest_on_lines(lines, p, pad=0.5):
    """(distance km, line index, segment index, t, point) of the point of
    `lines` ((bbox, coords) pairs) nearest to p; only lines whose bbox is
    within `pad` degrees of p are searched."""
    best = None
    for li, (bb, c) in enumerate(lines):
        if p[0] < bb[0] - pad or p[0] > bb[2] + pad or p[1] < bb[1] - pad or p[1] > bb[3] + pad:
            continue
        for i in range(len(c) - 1):
            a, b = c[i], c[i + 1]
            ax, ay = vec_km(p, a)
            bx, by = vec_km(p, b)
            dx, dy = bx - ax, by - ay
            L2 = dx * dx + dy * dy
            t = 0.0 if L2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L2))
            d = math.hypot(ax + t * dx, ay + t * dy)
            if best is None or d < best[0]:
                best = (d, li, i, t, (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    if best is None:
        return nearest_on_lines(lines, p, pad * 4)
    return best


def walk(coords, i, t, km):
    """Point `km` along a polyline from position (segment i, fraction t);
    negative km walks backwards. Stops at the ends."""
    p = (coords[i][0] + t * (coords[i + 1][0] - coords[i][0]), coords[i][1] + t * (coords[i + 1][1] - coords[i][1]))
    if km >= 0:
        j = i + 1
        while j < len(coords):
            d = dist_km(p, coords[j])
            if d >= km:
                f = km / d if d else 0
                return (p[0] + f * (coords[j][0] - p[0]), p[1] + f * (coords[j][1] - p[1]))
            km -= d
            p = coords[j]
            j += 1
        return p
    km = -km
    j = i
    while j >= 0:
        d = dist_km(p, coords[j])
        if d >= km:
            f = km / d if d else 0
            return (p[0] + f * (coords[j][0] - p[0]), p[1] + f * (coords[j][1] - p[1]))
        km -= d
        p = coords[j]
        j -= 1
    return p


def in_polygon(p, poly):
    x, y = p
    inside = False
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def in_indonesia(p):
    return in_polygon(p, INDONESIA_OUTLINE) and not in_polygon(p, OECUSSE)


def in_box(p):
    return BOX[0] <= p[0] <= BOX[2] and BOX[1] <= p[1] <= BOX[3]


class Path:
    """A polyline with cumulative lengths in km, for sampling along it."""

    def __init__(self, coords):
        self.c = coords
        self.cum = [0.0]
        for a, b in zip(coords, coords[1:]):
            self.cum.append(self.cum[-1] + dist_km(a, b))
        self.length = self.cum[-1]

    def at(self, s):
        s = max(0.0, min(self.length, s))
        i = max(0, min(len(self.c) - 2, bisect.bisect_right(self.cum, s) - 1))
        seg = self.cum[i + 1] - self.cum[i]
        f = (s - self.cum[i]) / seg if seg > 0 else 0.0
        a, b = self.c[i], self.c[i + 1]
        return (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))

    def sub(self, s0, s1):
        pts = [self.at(s0)]
        for i, s in enumerate(self.cum):
            if s0 < s < s1:
                pts.append(self.c[i])
        pts.append(self.at(s1))
        return pts


# --- input geography -----------------------------------------------------------
def load_lines(path):
    with open(path, encoding="utf-8") as f:
        fc = json.load(f)
    out = []
    for feat in fc["features"]:
        g = feat["geometry"]
        parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        for c in parts:
            c = [tuple(p[:2]) for p in c]
            xs, ys = [p[0] for p in c], [p[1] for p in c]
            out.append(((min(xs), min(ys), max(xs), max(ys)), c))
    return out


def count_crossings(seg, lines):
    """Number of proper intersections of segment seg=(a, b) with the lines
    (pure Python, used for the land/sea parity test)."""
    (ax, ay), (bx, by) = seg
    mnx, mxx, mny, mxy = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    n = 0
    for bb, c in lines:
        if bb[2] < mnx or bb[0] > mxx or bb[3] < mny or bb[1] > mxy:
            continue
        for (cx, cy), (dx, dy) in zip(c, c[1:]):
            if max(cx, dx) < mnx or min(cx, dx) > mxx or max(cy, dy) < mny or min(cy, dy) > mxy:
                continue
            d1 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
            d2 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax)
            d3 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx)
            d4 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx)
            if (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0) and d1 != 0 and d2 != 0 and d3 != 0 and d4 != 0:
                n += 1
    return n


# --- route construction --------------------------------------------------------
def land_route(spec, borders, rng):
    rid, name, corridor, approx, bearing, l_id, l_other = spec[:7]
    _, li, i, t, x = nearest_on_lines(borders, approx)
    coords = borders[li][1]
    a, b = walk(coords, i, t, -2.0), walk(coords, i, t, 2.0)
    tx, ty = unit(*vec_km(a, b))
    nx, ny = -ty, tx
    bx, by = math.sin(math.radians(bearing)), math.cos(math.radians(bearing))
    if nx * bx + ny * by < 0:
        nx, ny = -nx, -ny  # (nx, ny) points into Indonesia

    def pt(along_n, sd_t):
        j = rng.gauss(0, sd_t)
        return offset(x, along_n * nx + j * tx, along_n * ny + j * ty)

    return [pt(l_id, 0.15 * l_id), pt(0.5 * l_id, 0.1 * l_id), pt(1.0, 0.2),
            pt(-1.0, 0.2), pt(-0.5 * l_other, 0.1 * l_other), pt(-l_other, 0.15 * l_other)]


def sea_route(spec, coast, rng):
    """Returns (coords, km from the start to the Indonesian landing)."""
    rid, name, corridor, start, waypoints, end = spec[:6]
    wps = []
    for w in waypoints:
        wps.append(offset(w, rng.gauss(0, 1.0), rng.gauss(0, 1.0)))
    # Indonesian end: nearest shoreline point P, then step inland, away from the
    # first waypoint, until the segment to it crosses the shoreline once (else
    # an odd number of times): start and waypoint on opposite sides of the shore.
    _, _, _, _, p = nearest_on_lines(coast, start, 0.3)
    ux, uy = unit(*vec_km(wps[0], p))
    s = odd = None
    for rot in (0, 30, -30, 60, -60):
        c, si = math.cos(math.radians(rot)), math.sin(math.radians(rot))
        vx, vy = c * ux - si * uy, si * ux + c * uy
        for d in (1.5, 2.5, 4.0, 6.0):
            cand = offset(p, d * vx, d * vy)
            n = count_crossings((cand, wps[0]), coast)
            if n == 1:
                s = cand
                break
            if n % 2 == 1 and odd is None:
                odd = cand
        if s:
            break
    s = s or odd
    if s is None:  # reported by check_routes (no landing near the start)
        print("%s: no inland start found near %s" % (rid, start), file=sys.stderr)
        s = offset(p, 1.5 * ux, 1.5 * uy)
    # foreign end: the given point if it is at sea (no shore between it and the
    # last waypoint) and >= 0.5 km off the shore, else 1-3 km off the nearest
    # shore point towards the last waypoint; outside the box (Ashmore Reef) the
    # route stops where it meets 11.99 S instead.
    w = wps[-1]
    if in_box(end):
        e = None
        q = nearest_on_lines(coast, end, 0.3)[4]
        vx, vy = unit(*vec_km(q, w))
        for cand in [end] + [offset(q, d * vx, d * vy) for d in (1.0, 1.5, 2.0, 3.0)]:
            if count_crossings((w, cand), coast) == 0 and nearest_on_lines(coast, cand, 0.3)[0] >= 0.5:
                e = cand
                break
        if e is None:
            print("%s: no offshore end found near %s" % (rid, end), file=sys.stderr)
            e = end
    else:
        f = (w[1] - (BOX[1] + 0.01)) / (w[1] - end[1])
        e = (w[0] + f * (end[0] - w[0]), BOX[1] + 0.01)
    return [s] + wps + [e], dist_km(s, p)


def jitter_variant(base, rng, sd_range=(1.0, 4.0)):
    path = Path(base)
    if rng.random() < 0.5:
        f = rng.uniform(0.3, 1.0)
        s0 = rng.uniform(0, 1 - f) * path.length
        pts = path.sub(s0, s0 + f * path.length)
    else:
        pts = list(base)
    sd = rng.uniform(*sd_range)
    out = []
    for p in pts:
        x, y = offset(p, rng.gauss(0, sd), rng.gauss(0, sd))
        out.append((min(max(x, BOX[0]), BOX[2]), min(max(y, BOX[1]), BOX[3])))  # stay in the box
    return out


def coastal_crossing(coast_idx, rng):
    cum, segs = coast_idx
    a, b = segs[bisect.bisect_right(cum, rng.random() * cum[-1])]
    f = rng.random()
    p = (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))
    tx, ty = unit(*vec_km(a, b))
    sgn = 1 if rng.random() < 0.5 else -1
    nx, ny = -ty * sgn, tx * sgn
    L = rng.uniform(8.0, 40.0)
    pts = [offset(p, 2.0 * nx, 2.0 * ny), offset(p, -1.0 * nx, -1.0 * ny)]
    for k in range(rng.randint(1, 2)):
        d = L * (k + 1) / 2
        j = rng.gauss(0, 0.15 * L)
        pts.append(offset(p, -d * nx + j * tx, -d * ny + j * ty))
    return p, pts


# --- time profiles ---------------------------------------------------------------
def days_in(y, m):
    return (31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]


def profile(kind, mode, opens, months=MONTHS):
    n = len(months)
    out = []
    for k, (y, m) in enumerate(months):
        u = k / (n - 1)
        if kind == "rising":
            v = 0.2 + 1.6 * u
        elif kind == "intensifying":  # busy throughout and rising: ArcGIS's intensifying hot spot
            v = 1.0 + 1.5 * u
        elif kind == "surging":  # quiet, then a sharp rise over the last quarter of the period
            v = 0.15 + 4.0 * max(0.0, (u - 0.75) / 0.25) ** 1.5
        elif kind == "falling":
            v = 1.8 - 1.6 * u
        elif kind == "opening":
            v = 1.0 if "%04d-%02d-01" % (y, m) >= opens else 0.0
        else:
            v = 1.0
        phase = 0 if mode == "sea" else 6  # sea: peak Jan, land: peak Jul
        v *= 1 + 0.2 * math.cos(2 * math.pi * (m - 1 - phase) / 12)
        out.append(v * days_in(y, m) / 30.4375)
    return out


def mann_kendall(y):
    n = len(y)
    s = 0
    for k in range(n - 1):
        yk = y[k]
        for l in range(k + 1, n):
            s += (y[l] > yk) - (y[l] < yk)
    ties = {}
    for v in y:
        ties[v] = ties.get(v, 0) + 1
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())) / 18
    if var <= 0:
        return 0.0, 1.0
    z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0.0
    return z, math.erfc(abs(z) / math.sqrt(2))


# --- scenario knobs (--open, --close, --displace) ---------------------------------
PERIOD = ("%04d-01-01" % START_YEAR, "%04d-12-31" % END_YEAR)
KNOB_SYNTAX = {"open": "ROUTE:YYYY-MM-DD[:RATE]", "close": "ROUTE:YYYY-MM-DD[:POSTNAME]",
               "displace": "FROM:TO:YYYY-MM-DD[:SHARE]"}


def _knob_date(arg, s):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        raise argparse.ArgumentTypeError("%r: bad date %r (want YYYY-MM-DD)" % (arg, s))
    try:
        datetime.date(int(s[:4]), int(s[5:7]), int(s[8:]))
    except ValueError:
        raise argparse.ArgumentTypeError("%r: %s is not a calendar date" % (arg, s))
    if not PERIOD[0] <= s <= PERIOD[1]:
        raise argparse.ArgumentTypeError("%r: date %s is outside the scene's period %s .. %s"
                                         % (arg, s, PERIOD[0], PERIOD[1]))
    return s


def _knob_number(arg, s, what, lo, hi, lo_open=True):
    try:
        v = float(s)
    except ValueError:
        v = float("nan")
    if not (math.isfinite(v) and (v > lo if lo_open else v >= lo) and (hi is None or v <= hi)):
        raise argparse.ArgumentTypeError("%r: bad %s %r (want a number %s %g%s)"
                                         % (arg, what, s, ">" if lo_open else ">=", lo,
                                            "" if hi is None else " and <= %g" % hi))
    return v


def _knob_parts(arg, knob, n_min, n_max):
    parts = arg.split(":", n_max - 1)
    if len(parts) < n_min or any(p.strip() == "" for p in parts):
        raise argparse.ArgumentTypeError("%r: want %s" % (arg, KNOB_SYNTAX[knob]))
    return parts


def parse_open(arg):
    parts = _knob_parts(arg, "open", 2, 3)
    return {"knob": "open", "arg": arg, "route": parts[0], "date": _knob_date(arg, parts[1]),
            "rate": _knob_number(arg, parts[2], "RATE", 0, None) if len(parts) > 2 else None}


def parse_close(arg):
    parts = _knob_parts(arg, "close", 2, 3)
    return {"knob": "close", "arg": arg, "route": parts[0], "date": _knob_date(arg, parts[1]),
            "post": parts[2] if len(parts) > 2 else None}


def parse_displace(arg):
    parts = _knob_parts(arg, "displace", 3, 4)
    k = {"knob": "displace", "arg": arg, "route": parts[0], "to": parts[1],
         "date": _knob_date(arg, parts[2]),
         "share": _knob_number(arg, parts[3], "SHARE", 0, 1.0) if len(parts) > 3 else 1.0}
    if k["route"] == k["to"]:
        raise argparse.ArgumentTypeError("%r: FROM and TO are the same route" % arg)
    return k


class KnobAction(argparse.Action):
    """Appends the parsed knob to one shared list, in command-line order."""

    def __call__(self, parser, ns, values, option_string=None):
        setattr(ns, self.dest, list(getattr(ns, self.dest, None) or []) + [values])


def id_ranges(ids, most=16):
    """'K01…K13, T01…T07, …': the ids in runs of consecutive numbers (at most
    `most` runs shown)."""
    runs = []
    for i in sorted(ids):
        p = i.rstrip("0123456789")
        n = int(i[len(p):]) if i[len(p):] else None
        last = runs[-1] if runs else None
        if last and n is not None and last[0] == p and last[3] is not None and n == last[3] + 1:
            last[2], last[3] = i, n
        else:
            runs.append([p, i, i, n])
    shown = ", ".join(a if a == b else "%s…%s" % (a, b) for _, a, b, _ in runs[:most])
    return shown + (", … (%d ids in all)" % len(ids) if len(runs) > most else "")


def check_knob_ids(knobs, ids, fail, extra=None):
    """Early check of the route ids named by the knobs (before any route is
    built); `extra` matches ids that may exist but are not known yet."""
    known = set(ids)
    for k in knobs:
        for key in ("route", "to"):
            if key in k and k[key] not in known and not (extra and re.fullmatch(extra, k[key])):
                fail("argument --%s: unknown route %r in %r (this scene's route ids: %s)"
                     % (k["knob"], k[key], k["arg"], id_ranges(ids) + (", V00001…, X00001…" if extra else "")))


def check_knobs(knobs, routes, fail):
    """Cross-checks the knobs against the scene's routes and each other;
    fail(message) is ArgumentParser.error (exit status 2)."""
    ids = {r["id"] for r in routes}
    have = id_ranges([r["id"] for r in routes])
    opened, closed, out_share = {}, {}, {}
    names = {n for n, _, _, _ in POSTS}
    for k in knobs:
        opt = "argument --%s" % k["knob"]
        for key in ("route", "to"):
            if key in k and k[key] not in ids:
                fail("%s: unknown route %r in %r (this scene's route ids: %s)" % (opt, k[key], k["arg"], have))
        rid = k["route"]
        if k["knob"] == "open":
            if k["rate"] is None:  # its own relative rate (0.02 for a near-zero route)
                k["rate"] = next(r["weight"] for r in routes if r["id"] == rid)
            if rid in opened:
                fail("%s: route %s is opened twice (%r and %r)" % (opt, rid, opened[rid]["arg"], k["arg"]))
            opened[rid] = k
        elif k["knob"] == "close":
            if rid in closed:
                fail("%s: route %s is closed twice (%r and %r)" % (opt, rid, closed[rid]["arg"], k["arg"]))
            closed[rid] = k
            k["post"] = k["post"] or "New post on %s (synthetic)" % rid
            if k["post"] in names:
                fail("%s: %r: there is already a post named %r" % (opt, k["arg"], k["post"]))
            names.add(k["post"])
        else:
            out_share[rid] = out_share.get(rid, 0.0) + k["share"]
            if out_share[rid] > 1.0 + 1e-9:
                fail("%s: %r: the shares displaced from %s add up to %g, more than 1"
                     % (opt, k["arg"], rid, out_share[rid]))
    for rid, c in closed.items():
        if rid in opened and c["date"] <= opened[rid]["date"]:
            fail("argument --close: %r closes %s on or before it opens (--open %s): it would never carry traffic"
                 % (c["arg"], rid, opened[rid]["arg"]))


def month_pieces(k, dates):
    """Split month k at the knob dates falling inside it: [(first day, last day,
    'YYYY-MM-DD' of the first day)]."""
    y, m = MONTHS[k]
    dim = days_in(y, m)
    cuts = sorted({int(d[8:]) for d in dates if d[:7] == "%04d-%02d" % (y, m) and int(d[8:]) > 1})
    starts = [1] + cuts
    ends = [c - 1 for c in cuts] + [dim]
    return [(lo, hi, "%04d-%02d-%02d" % (y, m, lo)) for lo, hi in zip(starts, ends)]


def scenario_rates(routes, knobs):
    """Per route, the cells of its rate series: [(month index, first day, last
    day, weight)]. Untouched routes get one cell per month, weight * series
    (the generator's own numbers); touched routes are split at the knob dates.
    A route's own demand is its profile, or after --open a flat profile at the
    given rate (nothing before the date); --displace moves a share of FROM's
    demand to TO; --close zeroes whatever is left on the route."""
    by_id = {r["id"]: r for r in routes}
    opens = {k["route"]: k for k in knobs if k["knob"] == "open"}
    closes = {k["route"]: k for k in knobs if k["knob"] == "close"}
    disp = [k for k in knobs if k["knob"] == "displace"]
    touched = set(opens) | set(closes) | {k["route"] for k in disp} | {k["to"] for k in disp}
    dates = {k["date"] for k in knobs}
    flat = {kind: profile("flat", kind, None) for kind in ("land", "sea")}

    def demand(r, k, day):
        o = opens.get(r["id"])
        if o is None:
            return r["weight"] * r["series"][k]
        return 0.0 if day < o["date"] else o["rate"] * flat[r["kind"]][k]

    def rate(r, k, day):
        c = closes.get(r["id"])
        if c is not None and day >= c["date"]:
            return 0.0
        out = sum(d["share"] for d in disp if d["route"] == r["id"] and day >= d["date"])
        v = demand(r, k, day) * (1.0 - out) if out < 1.0 else 0.0
        for d in disp:
            if d["to"] == r["id"] and day >= d["date"]:
                v += d["share"] * demand(by_id[d["route"]], k, day)
        return v

    cells = []
    for r in routes:
        if r["id"] not in touched:
            cells.append([(k, 1, days_in(*MONTHS[k]), r["weight"] * v) for k, v in enumerate(r["series"]) if v > 0])
            continue
        rc = []
        for k in range(len(MONTHS)):
            dim = days_in(*MONTHS[k])
            for lo, hi, day in month_pieces(k, dates):
                w = rate(r, k, day) * (hi - lo + 1) / dim
                if w > 0:
                    rc.append((k, lo, hi, w))
        cells.append(rc)
    return cells, touched


def seg_intersection(a, b, c, d):
    """Fraction t along a-b where segment a-b meets segment c-d, or None."""
    rx, ry = b[0] - a[0], b[1] - a[1]
    sx, sy = d[0] - c[0], d[1] - c[1]
    den = rx * sy - ry * sx
    if den == 0:
        return None
    qx, qy = c[0] - a[0], c[1] - a[1]
    t = (qx * sy - qy * sx) / den
    u = (qx * ry - qy * rx) / den
    return t if 0.0 <= t <= 1.0 and 0.0 <= u <= 1.0 else None


def first_meeting(coords, lines):
    """The first point, walking from the route's start, where it meets `lines`
    (a border crossing or a landing); if it meets none, the point of `lines`
    nearest to the route's vertices."""
    for a, b in zip(coords, coords[1:]):
        mnx, mxx, mny, mxy = min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1])
        best = None
        for bb, c in lines:
            if bb[2] < mnx or bb[0] > mxx or bb[3] < mny or bb[1] > mxy:
                continue
            for p, q in zip(c, c[1:]):
                if max(p[0], q[0]) < mnx or min(p[0], q[0]) > mxx or max(p[1], q[1]) < mny or min(p[1], q[1]) > mxy:
                    continue
                t = seg_intersection(a, b, p, q)
                if t is not None and (best is None or t < best):
                    best = t
        if best is not None:
            return (a[0] + best * (b[0] - a[0]), a[1] + best * (b[1] - a[1]))
    return min((nearest_on_lines(lines, v) for v in coords), key=lambda n: n[0])[4]


def knob_dates_for(rid, knobs):
    return sorted({k["date"] for k in knobs if rid in (k["route"], k.get("to"))})


def route_scenario_truth(r, knobs, cells, per_weight):
    """The known answer for one touched route (keys added to its truth entry)."""
    out = {}
    rid = r["id"]
    o = next((k for k in knobs if k["knob"] == "open" and k["route"] == rid), None)
    if o is not None:
        out.update(base_profile=r["profile"], profile="opening", trend="flat", opens=o["date"], near_zero=False,
                   relative_rate=round(o["rate"], 4))
    c = next((k for k in knobs if k["knob"] == "close" and k["route"] == rid), None)
    if c is not None:
        out.update(closes=c["date"], closed_by_post={"name": c["post"], "kind": r["kind"], "at": c["at"]})
    to = [{"route": k["to"], "date": k["date"], "share": k["share"]}
          for k in knobs if k["knob"] == "displace" and k["route"] == rid]
    frm = [{"route": k["route"], "date": k["date"], "share": k["share"]}
           for k in knobs if k["knob"] == "displace" and k["to"] == rid]
    if to:
        out["displaced_to"] = to
    if frm:
        out["displaced_from"] = frm
    exp = [0.0] * len(MONTHS)
    for k, lo, hi, w in cells:
        exp[k] += w * per_weight
    changes = []
    for d in knob_dates_for(rid, knobs):
        km = MONTHS.index((int(d[:4]), int(d[5:7])))
        k1 = km if d[8:] == "01" else km + 1  # first month wholly on or after d
        before, after = exp[max(0, km - 6):km], exp[k1:k1 + 6]
        changes.append({"date": d,
                        "knobs": [k["arg"] for k in knobs if k["date"] == d and rid in (k["route"], k.get("to"))],
                        "expected_per_month_before": round(sum(before) / len(before), 2) if before else None,
                        "expected_per_month_after": round(sum(after) / len(after), 2) if after else None})
    out["changes"] = changes
    out["first_event"], out["last_event"] = r["first"], r["last"]
    out["expected_monthly"] = {"%04d-%02d" % ym: round(v, 2) for ym, v in zip(MONTHS, exp)}
    out["events_monthly"] = {"%04d-%02d" % ym: n for ym, n in zip(MONTHS, r["counts"])}
    return out


# --- output ----------------------------------------------------------------------
def num(v, d=5):
    s = "%.*f" % (d, v)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write_geojson(path, name, feats):
    """feats: (properties, geometry type, coordinates) with lon/lat tuples."""
    def coords(gtype, c):
        if gtype == "Point":
            return "[%s,%s]" % (num(c[0]), num(c[1]))
        return "[" + ",".join("[%s,%s]" % (num(x), num(y)) for x, y in c) + "]"

    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","name":%s,"features":[\n' % json.dumps(name))
        for i, (props, gtype, c) in enumerate(feats):
            f.write('{"type":"Feature","properties":%s,"geometry":{"type":"%s","coordinates":%s}}%s\n'
                    % (json.dumps(props, ensure_ascii=False), gtype, coords(gtype, c),
                       "," if i + 1 < len(feats) else ""))
        f.write("]}\n")


SCENE_TOML = """# routerisk sample scene. Routes, interceptions and truth.json are SYNTHETIC
# (make_scene.py --seed {seed}); coastline and borders are derived from GSHHG/DCW
# (LGPL-3+, see README.md); posts are approximate positions.
[layers]
coastline = "coastline.geojson"
borders = "borders.geojson"
posts = "posts.geojson"
routes = "routes.geojson"
interceptions = "interceptions.csv"

[options]
# optional defaults for score options; none set.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--out", default=here, help="output directory (default: %(default)s)")
    ap.add_argument("--geo", default=here, help="directory with coastline.geojson and borders.geojson")
    ap.add_argument("--routes", type=int, default=None, help="number of routes (default: %d x scale)" % (len(LAND) + len(SEA)))
    ap.add_argument("--events", type=int, default=None, help="number of interceptions (default: %d x scale)" % DEFAULT_EVENTS)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the default route and event counts")
    ap.add_argument("--no-check", action="store_true", help="skip the shapely checks of the base routes")
    # Bench knobs (make bench): how hard the extra routes crowd into the 51 corridors.
    ap.add_argument("--variant-share", type=float, default=0.6, metavar="F",
                    help="share of the routes beyond the 51 that are variants of them (default: %(default)s; "
                         "the rest are random coastal crossings)")
    ap.add_argument("--variant-jitter", default="1.0:4.0", metavar="LO:HI",
                    help="a variant's vertices move by a Gaussian of sd uniform in LO..HI km (default: %(default)s)")
    ap.add_argument("--open", dest="scenario", action=KnobAction, type=parse_open, metavar="ROUTE:DATE[:RATE]",
                    help="scenario knob (repeatable): ROUTE has no traffic before DATE (YYYY-MM-DD), then "
                         "RATE (a relative rate as in the LAND/SEA tables, e.g. K04 5, K03 1.5; default: the route's own) "
                         "with a flat profile")
    ap.add_argument("--close", dest="scenario", action=KnobAction, type=parse_close, metavar="ROUTE:DATE[:POSTNAME]",
                    help="scenario knob (repeatable): a new post opens on DATE where ROUTE crosses the border "
                         "(land) or lands on the coast (sea); no traffic on ROUTE from DATE on; the post is added "
                         "to posts.geojson (default name 'New post on ROUTE (synthetic)', opened = DATE, "
                         "synthetic = true), and is in the layer for ALL dates (routerisk's posts have no dates)")
    ap.add_argument("--displace", dest="scenario", action=KnobAction, type=parse_displace,
                    metavar="FROM:TO:DATE[:SHARE]",
                    help="scenario knob (repeatable): from DATE on, SHARE (0 < SHARE <= 1, default 1.0) of "
                         "FROM's traffic moves to route TO, which keeps its own traffic too")
    ap.add_argument("--hide", action="append", default=[], metavar="ROUTE",
                    help="scenario knob (repeatable): ROUTE keeps its traffic but is left out of routes.geojson "
                         "(an active path the analyst does not know); truth.json and truth-process.json still "
                         "list it (listed = false)")
    ap.add_argument("--truth-samples", type=int, default=500, metavar="N",
                    help="points per route (10 x N for the background) drawn from the true spatial "
                         "distribution into truth-process.json (default %(default)s); a separate random stream, "
                         "so the scene itself does not change")
    a = ap.parse_args()
    try:
        jitter = tuple(float(v) for v in a.variant_jitter.split(":"))
        assert len(jitter) == 2 and 0 <= jitter[0] <= jitter[1]
    except (ValueError, AssertionError):
        ap.error("--variant-jitter: expected LO:HI km with 0 <= LO <= HI, got %r" % a.variant_jitter)
    if not 0 <= a.variant_share <= 1:
        ap.error("--variant-share: expected 0..1, got %r" % a.variant_share)
    knobs = a.scenario or []
    n_routes = a.routes if a.routes is not None else max(1, round((len(LAND) + len(SEA)) * a.scale))
    n_events = a.events if a.events is not None else max(0, round(DEFAULT_EVENTS * a.scale))
    base_ids = [spec[0] for spec in LAND + SEA]
    if n_routes <= len(base_ids):
        check_knob_ids(knobs, [base_ids[(k * len(base_ids)) // n_routes] for k in range(n_routes)], ap.error)
    else:
        check_knob_ids(knobs, base_ids, ap.error, r"[VX]\d{5}")
    t0 = time.time()
    rng = random.Random(a.seed)
    coast = load_lines(os.path.join(a.geo, "coastline.geojson"))
    borders = load_lines(os.path.join(a.geo, "borders.geojson"))

    # routes: each (id, name, corridor, kind, coords, profile, rate, opens, mix, landing_km)
    routes = []
    for spec in LAND:
        rid, name, corridor = spec[:3]
        prof, rate, opens, mix = spec[7:11]
        routes.append(dict(id=rid, name=name + " (synthetic)", corridor=corridor, kind="land",
                           coords=land_route(spec, borders, rng), profile=prof, rate=rate, opens=opens,
                           mix=mix, landing_km=None))
    for spec in SEA:
        rid, name, corridor = spec[:3]
        prof, rate, opens, mix = spec[6:10]
        coords, landing = sea_route(spec, coast, rng)
        routes.append(dict(id=rid, name=name + " (synthetic)", corridor=corridor, kind="sea",
                           coords=coords, profile=prof, rate=rate, opens=opens, mix=mix, landing_km=landing))
    base = routes
    if not a.no_check:
        check_routes(base, coast, borders)

    # Indonesian coast segments (length-weighted index) for background/bench
    segs, cum, tot = [], [], 0.0
    for bb, c in coast + borders:
        for p, q in zip(c, c[1:]):
            mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
            if in_indonesia(mid):
                tot += dist_km(p, q)
                segs.append((p, q))
                cum.append(tot)
    anchor_idx = (cum, segs)
    border_segs = set()
    for bb, c in borders:
        for p, q in zip(c, c[1:]):
            border_segs.add((p, q))
    csegs, ccum, tot = [], [], 0.0
    for s in segs:
        if s not in border_segs:
            tot += dist_km(*s)
            csegs.append(s)
            ccum.append(tot)
    coast_idx = (ccum, csegs)

    if n_routes <= len(base):
        routes = [base[(k * len(base)) // n_routes] for k in range(n_routes)]
    else:
        routes = list(base)
        nv = nx = 0
        choices = ("flat",) * 10 + ("rising",) * 3 + ("falling",) * 3 + ("opening",) * 2 + ("near_zero",) * 2
        for k in range(n_routes - len(base)):
            prof = rng.choice(choices)
            opens = "%04d-%02d-01" % (rng.randint(2021, 2025), rng.randint(1, 12)) if prof == "opening" else None
            rate = rng.lognormvariate(0, 0.8)
            if rng.random() < a.variant_share:
                src = rng.choice(base)
                nv += 1
                routes.append(dict(id="V%05d" % nv, name="%s, variant %d (synthetic)" % (src["name"][:-12], nv),
                                   corridor=src["corridor"], kind=src["kind"],
                                   coords=jitter_variant(src["coords"], rng, jitter),
                                   profile=prof, rate=rate, opens=opens, mix=src["mix"], landing_km=None))
            else:
                p, pts = coastal_crossing(coast_idx, rng)
                nx += 1
                routes.append(dict(id="X%05d" % nx, name="Coastal crossing at %.2fE %.2f%s (synthetic)"
                                   % (p[0], abs(p[1]), "N" if p[1] >= 0 else "S"),
                                   corridor="random coastal crossing", kind="sea", coords=pts, profile=prof,
                                   rate=rate, opens=opens, mix=MIX_STRAIT, landing_km=2.0))
    for r in routes:
        r["path"] = Path(r["coords"])
        r["jitter_km"] = round(rng.uniform(0.5, 1.5), 2)
        r["series"] = profile(r["profile"], r["kind"], r["opens"])
        r["weight"] = NEAR_ZERO_RATE if r["profile"] == "near_zero" else r["rate"]
        r["counts"] = [0] * len(MONTHS)
    check_knobs(knobs, routes, ap.error)
    hidden = set(a.hide)
    for h in sorted(hidden - {r["id"] for r in routes}):
        ap.error("--hide %s: no such route" % h)
    os.makedirs(a.out, exist_ok=True)

    # events. The rate series of every route is cut into cells (month, first
    # day, last day, weight); with no knob that is one cell per month, as ever.
    n_bg = round(n_events * BACKGROUND_SHARE)
    n_rt = n_events - n_bg
    route_cells, touched = scenario_rates(routes, knobs)
    cells, cw, tot = [], [], 0.0
    for ri, rc in enumerate(route_cells):
        for k, lo, hi, w in rc:
            tot += w
            cells.append((ri, k, lo, hi))
            cw.append(tot)
    total_weight = tot
    if knobs:
        # --events counts the scene without knobs: scale the route events with
        # the total rate, so that untouched routes keep their expected counts.
        base_weight = sum(r["weight"] * v for r in routes for v in r["series"] if v > 0)
        n_rt_plain, n_rt = n_rt, round(n_rt * total_weight / base_weight) if base_weight else 0
    for r, rc in zip(routes, route_cells):
        r["cell_weight"] = sum(w for _, _, _, w in rc)
        r["first"] = r["last"] = None
    events = []
    for ri, k, lo, hi in (rng.choices(cells, cum_weights=cw, k=n_rt) if n_rt else []):
        r = routes[ri]
        y, m = MONTHS[k]
        day = rng.randint(lo, hi)
        path = r["path"]
        if r["kind"] == "sea" and r["landing_km"] is not None and rng.random() < 0.55:
            s = r["landing_km"] + abs(rng.gauss(0, 3.0))
        else:
            s = rng.random() * path.length
        sd = r["jitter_km"]
        p = offset(path.at(s), rng.gauss(0, sd), rng.gauss(0, sd))
        persons = draw_persons(rng, r["kind"], r["corridor"])
        cat = rng.choices(CATEGORIES, weights=r["mix"])[0]
        d = "%04d-%02d-%02d" % (y, m, day)
        events.append((d, p, persons, cat, r["kind"]))
        r["counts"][k] += 1
        r["first"] = d if r["first"] is None or d < r["first"] else r["first"]
        r["last"] = d if r["last"] is None or d > r["last"] else r["last"]
    cum, segs = anchor_idx
    for _ in range(n_bg):
        while True:
            a_, b_ = segs[bisect.bisect_right(cum, rng.random() * cum[-1])]
            f = rng.random()
            p = (a_[0] + f * (b_[0] - a_[0]), a_[1] + f * (b_[1] - a_[1]))
            p = offset(p, rng.gauss(0, 8.0), rng.gauss(0, 8.0))
            if in_box(p):
                break
        on_border = (a_, b_) in border_segs
        mode = "land" if on_border or rng.random() < 0.4 else "sea"
        k = rng.randrange(len(MONTHS))
        y, m = MONTHS[k]
        day = rng.randint(1, days_in(y, m))
        persons = draw_persons(rng, mode, "")
        cat = rng.choices(CATEGORIES, weights=(0.30, 0.10, 0.60))[0]
        events.append(("%04d-%02d-%02d" % (y, m, day), p, persons, cat, mode))

    rows = sorted((d, num(p[0]), num(p[1]), persons, cat, mode) for d, p, persons, cat, mode in events)
    with open(os.path.join(a.out, "interceptions.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("id,date,lon,lat,persons,category,mode\n")
        for i, (d, lon, lat, persons, cat, mode) in enumerate(rows, 1):
            f.write("I%06d,%s,%s,%s,%d,%s,%s\n" % (i, d, lon, lat, persons, cat, mode))

    write_geojson(os.path.join(a.out, "routes.geojson"), "routes",
                  [({"id": r["id"], "name": r["name"], "kind": r["kind"], "corridor": r["corridor"],
                     "synthetic": True}, "LineString", r["coords"]) for r in routes if r["id"] not in hidden])
    new_posts = []
    for k in knobs:
        if k["knob"] == "close":
            r = next(r for r in routes if r["id"] == k["route"])
            x, y = first_meeting(r["coords"], borders if r["kind"] == "land" else coast)
            k["at"] = [round(x, 5), round(y, 5)]
            new_posts.append(({"name": k["post"], "kind": r["kind"], "agency": "PLBN" if r["kind"] == "land" else "TPI",
                               "approximate": False, "opened": k["date"], "synthetic": True}, "Point", (x, y)))
    write_geojson(os.path.join(a.out, "posts.geojson"), "posts",
                  [({"name": n, "kind": k, "agency": "PLBN" if k == "land" else "TPI", "approximate": True},
                    "Point", (x, y)) for n, k, x, y in POSTS] + new_posts)
    with open(os.path.join(a.out, "scene.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(SCENE_TOML.format(seed=a.seed))
        if knobs:
            f.write("# scenario (make_scene.py): %s\n" % " ".join("--%s %s" % (k["knob"], k["arg"]) for k in knobs))
    for fn in ("coastline.geojson", "borders.geojson"):
        src, dst = os.path.join(a.geo, fn), os.path.join(a.out, fn)
        if not (os.path.exists(dst) and os.path.samefile(src, dst)):
            shutil.copyfile(src, dst)

    # truth
    truth_routes = []
    for r in routes:
        trend = {"rising": "rising", "intensifying": "rising", "surging": "rising", "falling": "falling"}.get(r["profile"], "flat")
        expected = n_rt * r["weight"] * sum(r["series"]) / total_weight if total_weight else 0.0
        z, p = mann_kendall(r["counts"])
        truth_routes.append({
            "id": r["id"], "kind": r["kind"], "corridor": r["corridor"], "profile": r["profile"],
            "trend": trend, "opens": r["opens"], "near_zero": r["profile"] == "near_zero",
            "relative_rate": round(r["weight"], 4), "expected_events": round(expected, 2),
            "events": sum(r["counts"]), "jitter_sd_km": r["jitter_km"],
            "length_km": round(r["path"].length, 2),
            "own_events_mk": {"z": round(z, 3), "p": float("%.3g" % p),
                              "trend": "rising" if p < 0.05 and z > 0 else "falling" if p < 0.05 and z < 0 else "none"},
        })
        if r["id"] in touched:
            truth_routes[-1]["expected_events"] = round(n_rt * r["cell_weight"] / total_weight, 2)
            truth_routes[-1].update(route_scenario_truth(r, knobs, route_cells[routes.index(r)], n_rt / total_weight))
    truth = {
        "synthetic": True, "generator": "make_scene.py", "seed": a.seed,
        "period": ["%04d-01-01" % START_YEAR, "%04d-12-31" % END_YEAR],
        "routes": len(routes), "events": len(rows), "route_events": n_rt, "background_events": n_bg,
        "note": ("trend is the generated time profile of the route's rate (opening routes are flat "
                 "after 'opens', zero before); own_events_mk is Mann-Kendall on the monthly counts of the "
                 "events generated for that route alone (not of all events within its corridor)."),
        "route_truth": truth_routes,
    }
    if knobs:
        truth["route_events_without_scenario"] = n_rt_plain
        truth["scenario_note"] = (
            "scenario: the knobs as given, in command-line order. A touched route's own demand is its profile "
            "(after --open: flat at the given rate from 'opens', nothing before); --displace moves 'share' of "
            "FROM's demand to TO from 'date' on; --close stops all traffic on the route (displaced traffic "
            "included) from 'closes' on, and adds a post at 'at' (posts.geojson, 'opened' = the date; "
            "routerisk's posts have no dates, so the post is there for every as-of date). Touched routes "
            "also have expected_monthly (expected events per month), events_monthly (generated), "
            "first_event / last_event, and changes: the mean expected events per month in the 6 months "
            "before and after each knob date.")
        truth["scenario"] = [{kk: vv for kk, vv in k.items()} for k in knobs]
        keys = list(truth)
        truth = {kk: truth[kk] for kk in keys[:keys.index("route_truth")] + ["route_events_without_scenario",
                 "scenario_note", "scenario", "route_truth"] if kk in truth}
    if hidden:
        truth["hidden_routes"] = sorted(hidden)
    with open(os.path.join(a.out, "truth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write("\n")
    write_truth_process(os.path.join(a.out, "truth-process.json"), a, routes, route_cells, n_rt, total_weight,
                        n_bg, anchor_idx, hidden)
    print("%s: %d routes (%d land, %d sea), %d interceptions (%d background), seed %d, %.1f s"
          % (a.out, len(routes), sum(r["kind"] == "land" for r in routes), sum(r["kind"] == "sea" for r in routes),
             len(rows), n_bg, a.seed, time.time() - t0), file=sys.stderr)


def write_truth_process(out_path, a, routes, route_cells, n_rt, total_weight, n_bg, anchor_idx, hidden):
    """The process the events were drawn from, for a forecaster that knows the truth
    (data/truth_skill.py): per route and for the background, the expected events per day
    in pieces [first day, last day, expected per day] (as the events are drawn: a (route,
    month-piece) with probability weight / total, the day uniform in the piece; the
    background uniform over the months and the days of a month) and per month, and points
    drawn from the true spatial distribution (the same recipe as the events) with a
    separate random stream, so nothing else in the scene changes."""
    rng = random.Random(a.seed * 7919 + 17)
    scale = n_rt / total_weight if total_weight else 0.0
    out_routes = []
    for r, rc in zip(routes, route_cells):
        pieces, monthly = [], [0.0] * len(MONTHS)
        for k, lo, hi, w in rc:
            y, m = MONTHS[k]
            e = scale * w
            monthly[k] += e
            pieces.append(["%04d-%02d-%02d" % (y, m, lo), "%04d-%02d-%02d" % (y, m, hi), e / (hi - lo + 1)])
        pts = []
        path = r["path"]
        for _ in range(a.truth_samples):
            if r["kind"] == "sea" and r["landing_km"] is not None and rng.random() < 0.55:
                s_ = r["landing_km"] + abs(rng.gauss(0, 3.0))
            else:
                s_ = rng.random() * path.length
            p = offset(path.at(s_), rng.gauss(0, r["jitter_km"]), rng.gauss(0, r["jitter_km"]))
            pts.append([round(p[0], 5), round(p[1], 5)])
        out_routes.append({"id": r["id"], "listed": r["id"] not in hidden,
                           "expected_monthly": [round(v, 6) for v in monthly], "expected_daily": pieces, "points": pts})
    cum, segs = anchor_idx
    bg_pts = []
    for _ in range(10 * a.truth_samples if n_bg else 0):
        while True:
            a_, b_ = segs[bisect.bisect_right(cum, rng.random() * cum[-1])]
            f = rng.random()
            p = (a_[0] + f * (b_[0] - a_[0]), a_[1] + f * (b_[1] - a_[1]))
            p = offset(p, rng.gauss(0, 8.0), rng.gauss(0, 8.0))
            if in_box(p):
                break
        bg_pts.append([round(p[0], 5), round(p[1], 5)])
    bg_pieces, bg_monthly = [], []
    for (y, m) in MONTHS:
        e = n_bg / len(MONTHS)
        bg_monthly.append(round(e, 6))
        bg_pieces.append(["%04d-%02d-01" % (y, m), "%04d-%02d-%02d" % (y, m, days_in(y, m)), e / days_in(y, m)])
    doc = {"synthetic": True, "generator": "make_scene.py", "seed": a.seed,
           "months": ["%04d-%02d" % ym for ym in MONTHS],
           "note": ("expected_daily: [first day, last day, expected events per day] (UTC days, inclusive); "
                    "points: lon/lat drawn from the true spatial distribution (%d per route, %d background)"
                    % (a.truth_samples, 10 * a.truth_samples)),
           "routes": out_routes,
           "background": {"expected_monthly": bg_monthly, "expected_daily": bg_pieces, "points": bg_pts}}
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def draw_persons(rng, kind, corridor):
    if rng.random() < 0.03:
        return 0
    p = 0.55 if kind == "land" else 0.07 if corridor in (XMAS, ASH) else 0.2
    k = 0
    while rng.random() > p:
        k += 1
    return 1 + k


def check_routes(routes, coast, borders):
    """Checks with shapely: land routes cross a border >= MIN_POST_KM from every
    land post and touch no shoreline; sea routes cross the shoreline near
    their start. Prints a table; exits on a failure."""
    from shapely.geometry import LineString, MultiLineString, Point
    bl = MultiLineString([c for _, c in borders])
    land_posts = [(n, (x, y)) for n, k, x, y in POSTS if k == "land"]
    bad = []
    for r in routes:
        ls = LineString(r["coords"])
        lb = ls.bounds
        near = [c for bb, c in coast if not (bb[2] < lb[0] - 0.1 or bb[0] > lb[2] + 0.1
                                            or bb[3] < lb[1] - 0.1 or bb[1] > lb[3] + 0.1)]
        cl = MultiLineString(near) if near else None
        pts = lambda g: [] if g.is_empty else [g] if g.geom_type == "Point" else [q for q in getattr(g, "geoms", []) if q.geom_type == "Point"]
        x = pts(ls.intersection(bl))
        lnd = pts(ls.intersection(cl)) if cl is not None else []
        length = Path(r["coords"]).length
        if r["kind"] == "land":
            dmin = min((dist_km((q.x, q.y), pp), n) for q in x for n, pp in land_posts) if x else (None, None)
            dmax = max(min(dist_km((q.x, q.y), pp) for n, pp in land_posts) for q in x) if x else None
            ok = bool(x) and dmin[0] >= MIN_POST_KM and not lnd
            print("%s land %6.1f km  crossings %d  nearest post %s %.1f km (farthest crossing %.1f km)  landings %d  %s"
                  % (r["id"], length, len(x), dmin[1], dmin[0] or -1, dmax or -1, len(lnd), "" if ok else "FAIL"),
                  file=sys.stderr)
        else:
            first = min((dist_km(r["coords"][0], (q.x, q.y)) for q in lnd), default=None)
            last = LineString(r["coords"][-2:])
            end_cross = cl is not None and last.intersects(cl)
            end_gap = nearest_on_lines(coast, r["coords"][-1], 0.2)[0]
            ok = bool(lnd) and first is not None and first <= 8.0 and not x and not end_cross and end_gap >= 0.3
            print("%s sea  %6.1f km  landings %d  first landing %.1f km from start  end %.1f km off the shore%s  %s"
                  % (r["id"], length, len(lnd), first or -1, end_gap, "  LAST SEGMENT CROSSES SHORE" if end_cross else "",
                     "" if ok else "FAIL"), file=sys.stderr)
        if not ok:
            bad.append(r["id"])
    if bad:
        raise SystemExit("route check failed: " + " ".join(bad))


if __name__ == "__main__":
    main()
