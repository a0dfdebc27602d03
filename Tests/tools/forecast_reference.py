#!/usr/bin/python3
"""Independent reference values for the routerisk-2 forecast tests (MODEL §13), with numpy/scipy.

Written from MODEL.md's text, not from the Swift code. Prints the values that
Tests/RouteRiskTests/Forecast/ForecastTests.swift pastes as expectations:

  /usr/bin/python3 Tests/tools/forecast_reference.py

1. Footprint (§13.3) of a straight vertical route along the centre line of hex column q = 0, from
   the centre of cell (0, 0) to the centre of (0, 8), s = 5 km, σ = 1 km, grid origin (0, 0), in a
   study area of every cell with |q| ≤ 12, −12 ≤ r ≤ 20 (far from every edge): (a) the masses of the
   discrete recipe (pieces of δ = min(σ/2, s/10), 13 × 13 offsets, cube rounding), computed here with
   numpy; (b) the continuous line ⊛ N(0, σ²I) integrated over the same hexagons (scipy dblquad of
   φ_σ(x)·[Φ((y − ya)/σ) − Φ((y − yb)/σ)]/L), the erf values the discrete recipe approximates.
2. σ of §13.1 for a small fixed set of distances, by brute force over the whole (σ, π) grid.
"""
import math

import numpy as np
from scipy import integrate, special

S = 5000.0
R = S / math.sqrt(3)
COL, ROW = 1.5 * R, math.sqrt(3) * R


def centre(q, r):
    return COL * q, ROW * (r + q / 2)


def cube_round(qf, rf):
    """Cube rounding, half to even, fix-up q before r before s (strict comparisons)."""
    sf = -qf - rf
    rq, rr, rs = np.round(qf), np.round(rf), np.round(sf)  # numpy rounds half to even
    dq, dr, ds = np.abs(rq - qf), np.abs(rr - rf), np.abs(rs - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -rr - rs, rq)
    r = np.where(fix_r, -rq - rs, rr)
    return q.astype(int), r.astype(int)


def footprint_discrete(a, b, sigma):
    length = math.dist(a, b)
    delta = min(sigma / 2, S / 10)
    m = math.ceil(length / delta)
    t = (np.arange(m) + 0.5) / m
    mx, my = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    i = np.arange(-6, 7)
    ox, oy = np.meshgrid(i * sigma / 2, i * sigma / 2, indexing="ij")
    w = np.exp(-(ox ** 2 + oy ** 2) / (2 * sigma ** 2))
    w = (w / w.sum()).ravel()
    px = (mx[:, None] + ox.ravel()[None, :]).ravel()
    py = (my[:, None] + oy.ravel()[None, :]).ravel()
    weight = (np.full(m, (length / m) / length)[:, None] * w[None, :]).ravel()
    qf = px / COL
    rf = py / ROW - qf / 2
    q, r = cube_round(qf, rf)
    inside = (np.abs(q) <= 12) & (r >= -12) & (r <= 20)
    masses = {}
    for qq, rr, ww in zip(q[inside], r[inside], weight[inside]):
        masses[(qq, rr)] = masses.get((qq, rr), 0.0) + ww
    return masses


def hex_mass_continuous(q, r, a, b, sigma):
    cx, cy = centre(q, r)
    length = b[1] - a[1]

    def density(y, x):
        phi_x = math.exp(-0.5 * ((x - a[0]) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
        along = 0.5 * (special.erf((y - a[1]) / (sigma * math.sqrt(2))) - special.erf((y - b[1]) / (sigma * math.sqrt(2))))
        return phi_x * along / length

    h = math.sqrt(3) / 2 * R

    def half_height(x):
        u = abs(x - cx)
        return h if u <= R / 2 else math.sqrt(3) * (R - u)

    v, _ = integrate.dblquad(density, cx - R, cx + R, lambda x: cy - half_height(x), lambda x: cy + half_height(x),
                             epsabs=1e-12, epsrel=1e-10)
    return v


def jitter_fit(distances, B=10000.0):
    counts = np.zeros(1000)
    for d in distances:
        if d <= B:
            counts[min(999, int(d // 10))] += 1
    dc = (np.arange(1000) + 0.5) * 10
    occ = counts > 0
    best = None
    for k in range(1, int(B / 2 / 100) + 1):
        sigma = 100.0 * k
        g = 2 * np.exp(-0.5 * (dc[occ] / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi)) / special.erf(B / (sigma * math.sqrt(2)))
        for p in range(101):
            pi = p / 100
            with np.errstate(divide="ignore"):
                ll = float(np.sum(counts[occ] * np.log(pi * g + (1 - pi) / B)))
            if best is None or ll > best[0]:
                best = (ll, sigma, pi)
    return best


def main():
    a, b = centre(0, 0), centre(0, 8)
    sigma = 1000.0
    masses = footprint_discrete(a, b, sigma)
    print("1. footprint, discrete recipe: total %.15f" % sum(masses.values()))
    for key in [(0, 0), (0, 1), (0, 4), (0, 8), (1, 3), (-1, 4), (0, -1), (0, 9)]:
        print("   cell %s: %.15f" % (key, masses.get(key, 0.0)))
    print("   column q = 0 alone: %.15f" % sum(v for (q, r), v in masses.items() if q == 0))
    print("   continuous (line ⊛ N(0, σ²I) over the hexagon):")
    for key in [(0, 0), (0, 1), (0, 4), (1, 3), (0, -1)]:
        print("   cell %s: %.6f" % (key, hex_mass_continuous(key[0], key[1], a, b, sigma)))
    # Column 0's interior cells, by erf alone: mass = P(|X| < R/2) + ∫ over the zig-zag zone; print the
    # one-dimensional erf of the straight part for the comment in the test.
    print("   erf(R/2/(σ√2)) = %.6f" % special.erf(R / 2 / (sigma * math.sqrt(2))))
    print("   erf(3 km/(σ√2)) = %.12f (q_r factor for b_att = 3 km)" % special.erf(3000 / (sigma * math.sqrt(2))))
    d = [120, 340, 560, 610, 800, 950, 1200, 1500, 2100, 2600, 4000, 7300]
    ll, s, p = jitter_fit(d)
    print("2. jitter fit of %s: sigma %.0f m, pi %.2f (log-likelihood %.6f)" % (d, s, p, ll))


if __name__ == "__main__":
    main()
