import XCTest
@testable import RouteRisk

/// MODEL §13 (routerisk-2), piece by piece, against values worked out by hand or by
/// Tests/tools/forecast_reference.py (numpy/scipy, written from MODEL.md, not from this code).
final class ForecastTests: XCTestCase {
    // MARK: §13.3 footprint

    /// A straight route along the centre line of column q = 0, from the centre of (0, 0) to that of (0, 8)
    /// (40 km), s = 5 km, σ = 1 km, in a study area far larger than the footprint.
    func straightRouteFootprint() -> (Footprint, StudyArea) {
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 0, envelopeMinY: 0)
        var cells: [HexCoordinate] = []
        for q in -12...12 { for r in -12...20 { cells.append(HexCoordinate(q: q, r: r)) } }
        let area = StudyArea(grid: grid, cells: cells.sorted())
        let a = grid.center(of: HexCoordinate(q: 0, r: 0)), b = grid.center(of: HexCoordinate(q: 0, r: 8))
        let f = FootprintBuilder.build(routes: [[[a, b]]], lengths: [a.distance(to: b)], sigma: 1000, area: area, attributionDistance: 3000)[0]
        return (f, area)
    }

    func mass(_ f: Footprint, _ area: StudyArea, _ q: Int, _ r: Int) -> Double {
        guard let i = area.cellIndex(of: HexCoordinate(q: q, r: r)), let k = f.cells.firstIndex(of: Int32(i)) else { return 0 }
        return f.mass[k]
    }

    func testFootprintOfAStraightRouteMatchesTheRecipeComputedIndependently() {
        let (f, area) = straightRouteFootprint()
        // forecast_reference.py, 1. (discrete recipe, numpy).
        XCTAssertEqual(f.total, 1, accuracy: 1e-12)
        let expected: [((Int, Int), Double)] = [
            ((0, 0), 0.059994254158867), ((0, 1), 0.119962888959055), ((0, 4), 0.119988508317732),
            ((0, 8), 0.059994254158867), ((1, 3), 0.002505745841134), ((-1, 4), 0.002505745841134),
            ((0, -1), 0.000025619358677), ((0, 9), 0.000025619358677),
        ]
        for ((q, r), m) in expected { XCTAssertEqual(mass(f, area, q, r), m, accuracy: 1e-12, "cell (\(q), \(r))") }
        // q_r = Φ_r · erf(3 km/(σ√2)) = 0.997300203937 (scipy.special.erf).
        XCTAssertEqual(f.corridorShare, 0.997300203937, accuracy: 1e-11)
        XCTAssertEqual(f.cells, f.cells.sorted())
    }

    func testFootprintOfAStraightRouteIsCloseToTheGaussianConvolution() {
        let (f, area) = straightRouteFootprint()
        // forecast_reference.py, 1. (continuous line ⊛ N(0, σ²I) integrated over each hexagon with scipy):
        // an end cell holds about half of an interior one (0.0597 vs 0.1193); 85.1 % of the mass is within
        // R/2 of the line (erf(R/2/(σ√2)) = 0.851085), so the side cells get little.
        let continuous: [((Int, Int), Double)] = [
            ((0, 0), 0.059665), ((0, 1), 0.119285), ((0, 4), 0.119330), ((1, 3), 0.002835), ((0, -1), 0.000045),
        ]
        // The 13 × 13 offsets at σ/2 discretise the Gaussian: agreement to 1e-3.
        for ((q, r), m) in continuous { XCTAssertEqual(mass(f, area, q, r), m, accuracy: 1e-3, "cell (\(q), \(r))") }
    }

    func testFootprintPointsOutsideTheStudyAreaAreDropped() {
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 0, envelopeMinY: 0)
        // Only column 0 is in the study area: Φ_r is the mass that falls in it, below 1.
        let area = StudyArea(grid: grid, cells: (-5...15).map { HexCoordinate(q: 0, r: $0) })
        let a = grid.center(of: HexCoordinate(q: 0, r: 0)), b = grid.center(of: HexCoordinate(q: 0, r: 8))
        let f = FootprintBuilder.build(routes: [[[a, b]]], lengths: [a.distance(to: b)], sigma: 1000, area: area, attributionDistance: 3000)[0]
        // forecast_reference.py, 1.: column q = 0 alone holds 0.959908066541855 of the mass.
        XCTAssertEqual(f.total, 0.959908066541855, accuracy: 1e-12)
        XCTAssertEqual(f.corridorShare, 0.959908066541855 * 0.997300203937, accuracy: 1e-11)
        XCTAssertEqual(mass(f, area, 0, 4), 0.119988508317732, accuracy: 1e-12)
    }

    /// §13.3 point by point, as MODEL.md words it: every one of the 169 offset points of every piece
    /// rounded to its cell (the builder skips points by convexity; it must land on the same cells).
    func literalFootprint(_ parts: [[PlanarPoint]], sigma: Double, area: StudyArea) -> [Int32: Double] {
        let grid = area.grid
        let length = parts.reduce(0.0) { total, part in total + zip(part, part.dropFirst()).reduce(0.0) { $0 + $1.0.distance(to: $1.1) } }
        let delta = min(sigma / 2, grid.cellSize / 10)
        var raw: [Double] = []
        for i in -6...6 { for j in -6...6 { raw.append(exp(-Double(i * i + j * j) / 8)) } }
        let norm = raw.reduce(0, +)
        var out: [Int32: Double] = [:]
        for part in parts {
            for (a, b) in zip(part, part.dropFirst()) {
                let len = a.distance(to: b)
                let n = Int((len / delta).rounded(.up))
                for k in 0..<n {
                    let t = (Double(k) + 0.5) / Double(n)
                    let mx = a.x + t * (b.x - a.x), my = a.y + t * (b.y - a.y)
                    var w = 0
                    for i in -6...6 {
                        for j in -6...6 {
                            let p = PlanarPoint(x: mx + Double(i) * sigma / 2, y: my + Double(j) * sigma / 2)
                            if let c = area.cellIndex(of: grid.cell(containing: p)) {
                                out[Int32(c), default: 0] += len / Double(n) / length * raw[w] / norm
                            }
                            w += 1
                        }
                    }
                }
            }
        }
        return out
    }

    /// The builder's footprint against `literalFootprint`: the same cells, masses to 1e-13.
    func assertFootprintIsThePointByPointOne(_ parts: [[PlanarPoint]], sigma: Double, area: StudyArea,
                                             file: StaticString = #filePath, line: UInt = #line) {
        let length = parts.reduce(0.0) { t, p in t + zip(p, p.dropFirst()).reduce(0.0) { $0 + $1.0.distance(to: $1.1) } }
        let f = FootprintBuilder.footprint(parts, length: length, sigma: sigma, area: area)
        let expected = literalFootprint(parts, sigma: sigma, area: area)
        let s = area.grid.cellSize
        XCTAssertEqual(Set(f.cells), Set(expected.keys), "s \(s), σ \(sigma), \(parts)", file: file, line: line)
        for (c, m) in zip(f.cells, f.mass) {
            XCTAssertEqual(m, expected[c] ?? -1, accuracy: 1e-13, "s \(s), σ \(sigma), cell \(c)", file: file, line: line)
        }
        XCTAssertEqual(f.total, expected.values.reduce(0, +), accuracy: 1e-12, file: file, line: line)
    }

    func testFootprintOfObliquePolylinesLandsOnTheCellsOfThePointByPointRule() {
        var rng = SplitMix64(seed: 29)
        for (cellSize, sigma) in [(5000.0, 100.0), (2000.0, 300.0), (5000.0, 1000.0), (1000.0, 200.0)] {
            let grid = HexGrid(cellSize: cellSize, envelopeMinX: 0, envelopeMinY: 0)
            var cells: [HexCoordinate] = []
            for q in -30...30 { for r in -30...30 where (q + r) % 7 != 3 { cells.append(HexCoordinate(q: q, r: r)) } }
            let area = StudyArea(grid: grid, cells: cells.sorted())
            for _ in 0..<4 {
                // Two parts of 2–5 vertices each, within ±8 cells of the origin, at random angles.
                let parts: [[PlanarPoint]] = (0..<2).map { _ in
                    (0..<(2 + Int(rng.next() % 4))).map { _ in
                        PlanarPoint(x: rng.uniform(-8, 8) * cellSize, y: rng.uniform(-8, 8) * cellSize)
                    }
                }
                assertFootprintIsThePointByPointOne(parts, sigma: sigma, area: area)
            }
        }
    }

    /// Long segments at many angles, each offset's points walked across 20–40 cells: the cube differences the walk
    /// carries from crossing to crossing (`FootprintBox.walkOffsetRun`) must keep landing on the point-by-point
    /// cells and masses, far from the first piece as near it.
    func testFootprintOfLongSegmentsAcrossManyCellsLandsOnThePointByPointCells() {
        for (cellSize, sigma) in [(2000.0, 100.0), (5000.0, 250.0)] {
            let grid = HexGrid(cellSize: cellSize, envelopeMinX: 0, envelopeMinY: 0)
            var cells: [HexCoordinate] = []
            for q in -40...40 { for r in -40...40 { cells.append(HexCoordinate(q: q, r: r)) } }
            let area = StudyArea(grid: grid, cells: cells.sorted())
            for degrees in stride(from: 3.0, to: 180, by: 17) {
                let angle = degrees * .pi / 180, reach = 20 * cellSize
                let from = PlanarPoint(x: -reach * cos(angle) + 0.37 * cellSize, y: -reach * sin(angle) + 0.11 * cellSize)
                let to = PlanarPoint(x: reach * cos(angle) + 0.37 * cellSize, y: reach * sin(angle) + 0.11 * cellSize)
                assertFootprintIsThePointByPointOne([[from, to]], sigma: sigma, area: area)
            }
        }
    }

    /// Routes laid on the grid's own lines, where offset points fall on or within rounding error of an edge or
    /// a vertex and the rounding's tie rules decide: along a horizontal edge (y = √3·R/2), along the slanted
    /// edges' direction through a vertex, and through a row of vertices and of centres. The walk between cells
    /// (`FootprintBox.walkOffsetRun`) must hand those points to the rounding and land on the point-by-point cells.
    func testFootprintAlongCellEdgesAndThroughVerticesLandsOnThePointByPointCells() {
        for (cellSize, sigma) in [(1000.0, 200.0), (5000.0, 100.0), (2000.0, 1000.0)] {
            let grid = HexGrid(cellSize: cellSize, envelopeMinX: 0, envelopeMinY: 0)
            let R = grid.circumradius, h = 3.0.squareRoot() * R
            var cells: [HexCoordinate] = []
            for q in -25...25 { for r in -25...25 { cells.append(HexCoordinate(q: q, r: r)) } }
            let area = StudyArea(grid: grid, cells: cells.sorted())
            let routes: [[[PlanarPoint]]] = [
                // A horizontal edge and its continuation (y = h/2), σ/2 steps landing on it exactly.
                [[PlanarPoint(x: -6 * R, y: h / 2), PlanarPoint(x: 6 * R, y: h / 2)]],
                // From the vertex (R, 0) along the slanted edge to (R/2, h/2) and on at 60°, then back down.
                [[PlanarPoint(x: R, y: 0), PlanarPoint(x: R - 3 * R, y: 3 * h), PlanarPoint(x: R, y: 6 * h)]],
                // Through a row of vertices (y = 0, x = ±R, ±2R, …) and through a column of centres (x = 0).
                [[PlanarPoint(x: -7 * R, y: 0), PlanarPoint(x: 7 * R, y: 0)], [PlanarPoint(x: 0, y: -5 * h), PlanarPoint(x: 0, y: 5 * h)]],
            ]
            for parts in routes { assertFootprintIsThePointByPointOne(parts, sigma: sigma, area: area) }
        }
    }

    // MARK: §13.1 jitter σ

    func testJitterFitOfASmallSetMatchesABruteForceOverTheGrid() {
        // forecast_reference.py, 2.: σ 1500 m, π 0.81.
        let d: [Double] = [120, 340, 560, 610, 800, 950, 1200, 1500, 2100, 2600, 4000, 7300]
        let fit = JitterFit.fit(histogram: JitterFit.histogram(d))
        XCTAssertEqual(fit.sigma, 1500)
        XCTAssertEqual(fit.mixing ?? -1, 0.81, accuracy: 1e-12)
        XCTAssertEqual(fit.distances, 12)
    }

    func testJitterIsRecoveredFromHalfNormalDistancesWithAKnownSigma() {
        var rng = SplitMix64(seed: 13)
        for sigma in [600.0, 1200.0] {
            // 3000 half-normal distances (Box–Muller) with σ, and 500 uniform on [0, 10 km].
            var d: [Double] = []
            for _ in 0..<3000 {
                let u1 = rng.uniform(1e-12, 1), u2 = rng.uniform(0, 1)
                d.append(abs(sigma * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)))
            }
            for _ in 0..<500 { d.append(rng.uniform(0, 10_000)) }
            let fit = JitterFit.fit(histogram: JitterFit.histogram(d))
            XCTAssertEqual(fit.sigma, sigma, accuracy: 100, "σ = \(sigma)")
            // π: 3000 of 3500 from the half-normal, plus its truncation: about 0.857.
            XCTAssertEqual(fit.mixing ?? -1, 3000.0 / 3500, accuracy: 0.03)
        }
    }

    /// §13.1 as MODEL.md words it: every (σ, π) of the grid in order, ties to the smaller σ, then π.
    func literalJitterFit(_ counts: [Int]) -> (sigma: Double, pi: Double) {
        let B = 10_000.0
        var best = (ll: -Double.infinity, sigma: 0.0, pi: 0.0)
        for step in 1...50 {
            let sigma = Double(step) * 100
            for p in 0...100 {
                let pi = Double(p) / 100
                var ll = 0.0
                for (b, n) in counts.enumerated() where n > 0 {
                    let dc = (Double(b) + 0.5) * 10
                    let f = pi * 2 * exp(-dc * dc / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot())
                        / erf(B / (sigma * 2.0.squareRoot())) + (1 - pi) / B
                    ll += Double(n) * log(f)
                }
                if ll > best.ll { best = (ll, sigma, pi) }
            }
        }
        return (best.sigma, best.pi)
    }

    /// The fit evaluates about 30 of the 101 π per σ (`JitterFit.bestMixing`): on histograms from pure
    /// uniform to pure half-normal, tiny and large, it must choose the grid point of the literal scan.
    func testJitterFitChoosesTheGridPointOfTheLiteralScan() {
        var rng = SplitMix64(seed: 41)
        for (sigma, share, n) in [(300.0, 0.9, 2000), (1200.0, 0.5, 400), (2500.0, 0.05, 300), (700.0, 1.0, 50),
                                  (100.0, 0.0, 200), (4000.0, 0.3, 12), (150.0, 0.99, 5000)] {
            var d: [Double] = []
            for _ in 0..<n {
                if rng.uniform(0, 1) < share {
                    let u1 = rng.uniform(1e-12, 1), u2 = rng.uniform(0, 1)
                    d.append(min(9_999, abs(sigma * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))))
                } else {
                    d.append(rng.uniform(0, 10_000))
                }
            }
            let counts = JitterFit.histogram(d)
            let fit = JitterFit.fit(histogram: counts)
            let literal = literalJitterFit(counts)
            XCTAssertEqual(fit.sigma, literal.sigma, "σ \(sigma), share \(share), n \(n)")
            XCTAssertEqual(fit.mixing ?? -1, literal.pi, "σ \(sigma), share \(share), n \(n)")
        }
    }

    /// The window of `bestMixing` on concave sequences with plateaus, ties and maxima at either end or between
    /// two coarse points: the first maximum of the full scan each time.
    func testBestMixingFindsTheFirstMaximumOfTheFullScan() {
        let shapes: [(String, (Int) -> Double)] = [
            ("flat", { _ in -5 }),
            ("rising", { p in Double(p) }),
            ("falling", { p in -Double(p) }),
            ("peak between coarse points", { p in -Double((p - 37) * (p - 37)) }),
            ("plateau 41…58", { p in -Double(max(0, 41 - p, p - 58)) }),
            ("two equal maxima 64, 65", { p in -abs(Double(p) - 64.5) }),
            ("peak at a coarse point", { p in -Double(abs(p - 70)) }),
            ("shallow", { p in -1000 - 1e-12 * Double((p - 83) * (p - 83)) }),
        ]
        for (name, f) in shapes {
            var full = (ll: -Double.infinity, pi: 0.0)
            for p in 0...100 where p == 0 || f(p) > full.ll { full = (f(p), Double(p) / 100) }
            let found = JitterFit.bestMixing { p in (f(p), abs(f(p))) }
            XCTAssertEqual(found.pi, full.pi, name)
            XCTAssertEqual(found.ll, full.ll, name)
        }
    }

    func testFewerThanTenDistancesGiveOnePointFiveKilometres() {
        let fit = JitterFit.fit(histogram: JitterFit.histogram([100, 200, 300, 400, 500, 600, 700, 800, 900, 12_000, 15_000]))
        XCTAssertEqual(fit.sigma, 1500)
        XCTAssertNil(fit.mixing)
        XCTAssertEqual(fit.distances, 9)
        // d = B exactly goes to the last bin, and counts.
        XCTAssertEqual(JitterFit.bin(10_000), 999)
    }

    // MARK: §13.2 attribution

    func testAttributionBetweenTwoRoutesByHand() {
        // Route 0 of length 10 km, route 1 of 20 km, σ = 1 km, window 180 d.
        // e1 (day 0) is near route 0 only: share 1 → c_0 = 1.
        // e2 (day 10) at d_0 = 1 km, d_1 = 2 km: w_0 = (1 + 0.1)/10000 · e^(−0.5) = 6.6718e-5,
        //   w_1 = (0 + 0.1)/20000 · e^(−2) = 6.7668e-7; share_0 = w_0/(w_0 + w_1) = 0.98996 …
        // e3 (day 200) at d_0 = d_1 = 1 km: e1 is out of the window (200 − 180 = day 20 > day 0) and so is
        //   e2 (day 10 ≤ day 20): c = 0, 0 → w ∝ 0.1/10000, 0.1/20000 → shares 2/3, 1/3.
        // e4 (day 201) at d_0 = d_1 = 1 km: c_0 = 2/3, c_1 = 1/3 → w ∝ (2/3 + 0.1)/10000, (1/3 + 0.1)/20000
        //   → share_0 = (23/30)/(23/30 + 13/60) = 46/59.
        let day = 86400.0
        let near: [[(route: Int32, distance: Double)]] = [[(0, 500)], [(0, 1000), (1, 2000)], [(0, 1000), (1, 1000)], [(0, 1000), (1, 1000)]]
        let pairs = RouteDistances(near)
        XCTAssertEqual(pairs.start, [0, 1, 3, 5, 7])
        let share = Attribution.shares(
            times: [0, 10 * day, 200 * day, 201 * day], near: pairs, lengths: [10_000, 20_000], sigma: 1000, windowDays: 180)
        XCTAssertEqual(share.count, 7)
        XCTAssertEqual(share[0], 1)
        let w0 = 1.1 / 10_000 * exp(-0.5), w1 = 0.1 / 20_000 * exp(-2.0)
        XCTAssertEqual(share[1], w0 / (w0 + w1), accuracy: 1e-15)
        XCTAssertEqual(share[1], 0.98996, accuracy: 1e-5)
        XCTAssertEqual(share[1] + share[2], 1, accuracy: 1e-15)
        XCTAssertEqual(share[3], 2.0 / 3, accuracy: 1e-13)
        XCTAssertEqual(share[4], 1.0 / 3, accuracy: 1e-13)
        XCTAssertEqual(share[5], 46.0 / 59, accuracy: 1e-13)
    }

    func testAttributionSharesOfEarlyEventsIgnoreLaterOnes() {
        let day = 86400.0
        let near: [[(route: Int32, distance: Double)]] = [[(0, 800), (1, 900)], [(1, 100)], [(0, 700), (1, 600)]]
        let all = Attribution.shares(
            times: [0, 5 * day, 9 * day], near: RouteDistances(near), lengths: [8000, 9000], sigma: 900, windowDays: 180)
        let firstTwo = Attribution.shares(
            times: [0, 5 * day], near: RouteDistances(Array(near.prefix(2))), lengths: [8000, 9000], sigma: 900, windowDays: 180)
        XCTAssertEqual(Array(all.prefix(3)), firstTwo)
    }

    func testAttributionInBlocksGivesTheSharesOfTheDirectSumsOverTheWindow() {
        // 60 events over 120 days, window 20 d, 1–3 of 3 routes each (a fixed pseudo-random pattern).
        let day = 86400.0, lengths = [8000.0, 12_000, 5000]
        var lists: [[(route: Int32, distance: Double)]] = [], times: [Double] = []
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        for k in 0..<60 {
            times.append(Double(k) * 2 * day + (k % 3 == 0 ? 0 : 0.5 * day))
            var list: [(route: Int32, distance: Double)] = []
            for r in 0..<3 where next() < 0.7 { list.append((Int32(r), 3000 * next())) }
            if list.isEmpty { list.append((Int32(k % 3), 1000)) }
            lists.append(list)
        }
        // The reference: MODEL §13.2 literally, c_r summed afresh over the earlier events inside the window.
        var reference: [[Double]] = []
        for k in lists.indices {
            var c = [0.0, 0, 0]
            for j in 0..<k where times[j] > times[k] - 20 * day {
                for (i, pair) in lists[j].enumerated() { c[Int(pair.route)] += reference[j][i] }
            }
            let w = lists[k].map { (max(0, c[Int($0.route)]) + 0.1) / lengths[Int($0.route)] * exp(-$0.distance * $0.distance / (2 * 700 * 700)) }
            let total = w.reduce(0, +)
            reference.append(lists[k].count == 1 ? [1] : w.map { $0 / total })
        }
        let onePass = Attribution.shares(times: times, near: RouteDistances(lists), lengths: lengths, sigma: 700, windowDays: 20)
        XCTAssertEqual(onePass.count, reference.joined().count)
        for (a, b) in zip(onePass, reference.joined()) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        // Blocks of any size, one after the other, give the one pass's shares bit for bit.
        for size in [1, 2, 3, 7, 25, 60] {
            var window = Attribution.Window(lengths: lengths, sigma: 700, windowDays: 20)
            var shares: [Double] = []
            for start in stride(from: 0, to: lists.count, by: size) {
                let end = min(lists.count, start + size)
                var block = RouteDistances(Array(lists[start..<end]))
                window.attribute(times: Array(times[start..<end]), near: &block)
                shares += block.distance
            }
            XCTAssertEqual(shares, onePass, "blocks of \(size)")
        }
    }

    // MARK: §13.4 route rates

    func testRouteRatesShrinkWithKappaByHand() {
        // Six corridor events of w = 0.5 on route 0 and one of w = 0.5 on route 1: n = (3, 0.5), Σw = 3.5,
        // Σw² = 1.75, κ = 2. A = (1, 1) → E = (1.75, 1.75). EB of (κn, κE) = ((6, 1), (3.5, 3.5)): m = 1,
        // θ = (12/7, 2/7), ΣE(θ − m)²/ΣE = 25/49, m/Ē = 2/7 = 14/49 → s² = 11/49, C = (11/49)/(11/49 + 14/49) = 11/25,
        // risk = 1 ± (11/25)(5/7) = 46/35, 24/35; n ← risk·E = 2.3, 1.2. q = (0.5, 1), D = 10 d → ρ = (0.46, 0.12).
        let pairs: (route: [Int32], weight: [Double]) = ([0, 0, 0, 0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
        let rates = RouteRates.compute(routes: 2, pairs: pairs, areas: [1, 1], corridorShares: [0.5, 1], exposureDays: 10)
        XCTAssertEqual(rates.kappa ?? -1, 2, accuracy: 1e-15)
        XCTAssertEqual(rates.raw, [3, 0.5])
        XCTAssertEqual(rates.shrunk[0], 2.3, accuracy: 1e-12)
        XCTAssertEqual(rates.shrunk[1], 1.2, accuracy: 1e-12)
        XCTAssertEqual(rates.perDay[0], 0.46, accuracy: 1e-12)
        XCTAssertEqual(rates.perDay[1], 0.12, accuracy: 1e-12)
        // Without κ (κ = 1 on these n), m/Ē = 1/1.75 = 28/49 > 25/49: s² = 0 and both would be shrunk to E = 1.75 —
        // κ is what lets seven events speak.
        let unscaled = try! XCTUnwrap(empiricalBayesRisk(observed: [3, 0.5], expected: [1.75, 1.75]))
        XCTAssertEqual(unscaled, [1, 1])
    }

    func testRouteRateIsZeroWhereTheFootprintMissesTheStudyArea() {
        let rates = RouteRates.compute(routes: 2, pairs: ([0, 1], [1, 1]), areas: [1, 1], corridorShares: [0, 1], exposureDays: 10)
        XCTAssertEqual(rates.perDay[0], 0)
        XCTAssertEqual(rates.perDay[1], 0.1, accuracy: 1e-15)
    }

    // MARK: D(H) and §13.5 background

    func testDecayedExposureByHand() {
        // D(90) over 180 days = (90/ln 2)(1 − 1/4) = 67.5/ln 2 = 97.3819…; D(none) = the span.
        XCTAssertEqual(ForecastSettings.exposure(spanDays: 180, halfLife: 90), 67.5 / log(2.0), accuracy: 1e-12)
        XCTAssertEqual(ForecastSettings.exposure(spanDays: 180, halfLife: 90), 97.3819, accuracy: 1e-4)
        XCTAssertEqual(ForecastSettings.exposure(spanDays: 180, halfLife: nil), 180)
        XCTAssertEqual(ForecastSettings.exposure(spanDays: 0, halfLife: 90), 0)
    }

    func testBackgroundOfOneEventByHand() {
        // One event at the centre of cell (0, 0), 730 days old with H_bg = 730 d → weight 1/2; h = s = 5 km.
        // λ_bg(c0) = a · ½ · 3/(π h²) / D with a = (√3/2)s² → (3√3/(4π))/D = 0.413497…/D; the neighbours are
        // at distance s = h, where the quartic kernel is 0 (d < h strictly).
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 0, envelopeMinY: 0)
        let centres = [HexCoordinate(q: 0, r: 0), HexCoordinate(q: 0, r: 1), HexCoordinate(q: 1, r: 0)].map(grid.center(of:))
        let weight = ForecastSettings.decay(ageDays: 730, halfLife: 730)
        XCTAssertEqual(weight, 0.5)
        let D = 900.0
        let bg = Background.perDay(points: [centres[0]], weights: [weight], bandwidth: 5000, centres: centres, cellArea: grid.cellArea, exposureDays: D)
        XCTAssertEqual(bg[0], 3 * 3.0.squareRoot() / (4 * Double.pi) / D, accuracy: 1e-15)
        XCTAssertEqual(bg[1], 0)
        XCTAssertEqual(bg[2], 0)
        // Half-way to a neighbour (d = h/2): (1 − 1/4)² = 9/16 of the peak.
        let mid = PlanarPoint(x: (centres[0].x + centres[1].x) / 2, y: (centres[0].y + centres[1].y) / 2)
        let half = Background.perDay(points: [mid], weights: [1], bandwidth: 5000, centres: [centres[0]], cellArea: grid.cellArea, exposureDays: D)
        XCTAssertEqual(half[0], 9.0 / 16 * 3 * 3.0.squareRoot() / (2 * Double.pi) / D, accuracy: 1e-15)
    }

    // MARK: options

    func testForecastOptionsAndTheirUsageErrors() throws {
        var o = ScoreOptions()
        try o.set("jitter", to: "800m")
        XCTAssertEqual(o.forecast.jitter, .fixed(800))
        try o.set("jitter", to: "auto")
        XCTAssertEqual(o.forecast.jitter, .automatic)
        try o.set("attribution-distance", to: "2km")
        try o.set("attribution-window", to: "90d")
        try o.set("forecast-half-life", to: "none")
        try o.set("background-bandwidth", to: "7.5km")
        try o.set("background-half-life", to: "365d")
        try o.set("horizon", to: "14d")
        try o.set("forecast", to: "kde")
        XCTAssertEqual(o.forecast.attributionDistance, 2000)
        XCTAssertEqual(o.forecast.attributionWindowDays, 90)
        XCTAssertNil(o.forecast.halfLifeDays)
        XCTAssertEqual(o.forecast.backgroundBandwidth, 7500)
        XCTAssertEqual(o.forecast.backgroundHalfLifeDays, 365)
        XCTAssertEqual(o.forecast.horizonDays, 14)
        XCTAssertEqual(o.forecast.method, .kde)
        for (name, value) in [("jitter", "wide"), ("jitter", "-1km"), ("attribution-distance", "0"), ("attribution-window", "none"),
                              ("horizon", "0d"), ("background-bandwidth", "x"), ("forecast", "routerisk-3")] {
            XCTAssertThrowsError(try o.set(name, to: value), "\(name) = \(value)") { error in
                guard let e = error as? RunError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.exitStatus, 64)
                XCTAssertTrue(e.description.contains("--\(name)"), e.description)
            }
        }
        XCTAssertTrue(ScoreOptions.optionNames.contains("background-half-life"))
    }
}
