import Foundation
@testable import RouteRisk

/// A small hand-built replay for the renderer tests: a 100 × 80 km map, 5 km cells, three
/// steps — the model beats the baseline, a step without test events, the model loses.
enum ReplayFixture {
    static let day = 86_400.0
    static let t0 = 1_672_531_200.0  // 2023-01-01T00:00:00Z
    static let cell = 5_000.0
    static let nastyName = "</script><b>x"

    /// A flat-topped hexagon of circumradius s/√3 around a centre (MODEL §4).
    static func hexagon(_ cx: Double, _ cy: Double) -> [PlanarPoint] {
        let r = cell / 3.0.squareRoot()
        return (0..<6).map { i in
            let a = Double(i) * Double.pi / 3
            return PlanarPoint(x: cx + r * cos(a), y: cy + r * sin(a))
        }
    }

    static func cells(_ spec: [(Int, Int, Double)]) -> [ReplayCell] {
        spec.map { q, r, intensity in
            let cx = 1.5 * cell / 3.0.squareRoot() * Double(q)
            let cy = cell * (Double(r) + Double(q) / 2)
            let ring = hexagon(cx, cy)
            return ReplayCell(q: q, r: r, intensityKm2: intensity, ring: ring,
                              ringLonLat: ring.map { PlanarPoint(x: 110 + $0.x / 1e5, y: 1 + $0.y / 1e5) })
        }
    }

    static func event(_ x: Double, _ y: Double, day d: Double, persons: Int, hit: Bool) -> ReplayEvent {
        ReplayEvent(position: PlanarPoint(x: x, y: y), lonLat: PlanarPoint(x: 110 + x / 1e5, y: 1 + y / 1e5),
                    time: t0 + d * day, persons: persons, hit: hit)
    }

    static func metrics(_ step: Int, tests: Int, hits: Int?, baselineHits: Int?, k: Int, n: Int = 400,
                        pei: Double? = nil, routeHits: Int? = nil) -> ReplayStepMetrics {
        let area = Double(k) / Double(n)
        let hit = hits.map { tests > 0 ? Double($0) / Double(tests) : 0 }
        let base = baselineHits.map { tests > 0 ? Double($0) / Double(tests) : 0 }
        return ReplayStepMetrics(
            step: step, start: t0 + Double(step - 1) * 30 * day, end: t0 + Double(step) * 30 * day,
            testEvents: tests, hitRate: tests > 0 ? hit : nil, areaFraction: area,
            pai: tests > 0 ? hit.map { $0 / area } : nil, peiStar: tests > 0 ? pei : nil,
            routeHitRate: tests > 0 ? routeHits.map { Double($0) / Double(tests) } : nil,
            baselineHitRate: tests > 0 ? base : nil, baselinePAI: tests > 0 ? base.map { $0 / area } : nil)
    }

    static func replay(scenePath: String = "/home/trainer/scenes/sample-scene", steps: Int = 3) -> ReplayResult {
        let coast = [(0..<21).map { i in PlanarPoint(x: Double(i) * 5_000, y: 60_000 + 8_000 * sin(Double(i) / 3)) }]
        let borders = [[PlanarPoint(x: 40_000, y: 0), PlanarPoint(x: 42_500.4, y: 30_000.6), PlanarPoint(x: 45_000, y: 62_000)]]
        let posts: [(name: String, kind: PostKind, position: PlanarPoint)] = [
            (name: "PLBN Entikong", kind: .land, position: PlanarPoint(x: 41_000, y: 12_000)),
            (name: "Port <Kijang> & \"Co\"", kind: .sea, position: PlanarPoint(x: 70_000, y: 63_000)),
        ]
        let routes: [(id: String, name: String, parts: [[PlanarPoint]])] = [
            (id: "r1", name: "Jalan Tikus 1", parts: [[PlanarPoint(x: 5_000, y: 5_000), PlanarPoint(x: 30_000, y: 20_000), PlanarPoint(x: 50_000, y: 58_000)]]),
            (id: "r2", name: nastyName, parts: [[PlanarPoint(x: 60_000, y: 5_000), PlanarPoint(x: 65_000, y: 55_000)],
                                               [PlanarPoint(x: 65_000, y: 55_000), PlanarPoint(x: 80_000, y: 62_000)]]),
            (id: "r3", name: "r3", parts: [[PlanarPoint(x: 90_000, y: 10_000), PlanarPoint(x: 85_000, y: 50_000)]]),
        ]
        let map = ReplayMap(coastline: coast, borders: borders, posts: posts, routes: routes,
                            minX: 0, minY: 0, maxX: 100_000, maxY: 80_000)
        var all: [ReplayStep] = [
            // Model 3 of 5 in its 4 cells, baseline 1 of 5.
            ReplayStep(metrics: metrics(1, tests: 5, hits: 3, baselineHits: 1, k: 4, pei: 0.75, routeHits: 2),
                       cells: cells([(4, 2, 0.8125), (4, 3, 0.5), (5, 2, 0.25), (10, 1, 0.0625)]),
                       events: [event(30_300, 17_800, day: 3, persons: 2, hit: true), event(30_100, 22_000, day: 9, persons: 1, hit: true),
                                event(37_400, 14_100, day: 12.5, persons: 4, hit: true), event(80_000, 30_000, day: 20, persons: 1, hit: false),
                                event(12_000, 70_000, day: 29, persons: 0, hit: false)],
                       topRoutes: ["r2", "r1", "r3"]),
            ReplayStep(metrics: metrics(2, tests: 0, hits: nil, baselineHits: nil, k: 4),
                       cells: cells([(4, 2, 0.9), (4, 3, 0.6), (6, 2, 0.2), (10, 1, 0.01)]),
                       events: [], topRoutes: ["r1", "r2", "r3"]),
            // Model 0 of 2, baseline 1 of 2.
            ReplayStep(metrics: metrics(3, tests: 2, hits: 0, baselineHits: 1, k: 4, pei: 0, routeHits: 1),
                       cells: cells([(4, 2, 1.1), (4, 3, 0.7), (5, 2, 0.3), (5, 3, 0.2)]),
                       events: [event(70_000, 40_000, day: 65, persons: 3, hit: false), event(90_000, 12_000, day: 80, persons: 1, hit: false)],
                       topRoutes: ["r1"]),
        ]
        all = Array(all.prefix(steps))
        let summary = ReplaySummary(
            model: "routerisk-1", steps: all.count, stepsWithTestEvents: all.filter { $0.metrics.testEvents > 0 }.count,
            coverage: "1 %", cellsChosen: 4, meanHitRate: 0.3, meanAreaFraction: 0.01, meanPAI: 30,
            meanPEIStar: 0.375, meanRouteHitRate: 0.45, meanBaselineHitRate: 0.35, meanBaselinePAI: 35, paiRatio: 30.0 / 35.0)
        return ReplayResult(steps: all, summary: summary, map: map,
                            optionsText: "cell 5 km, half-life 365 d, bandwidth auto, coverage 1 %",
                            cellSize: cell, corridor: 2_000, scenePath: scenePath)
    }
}
