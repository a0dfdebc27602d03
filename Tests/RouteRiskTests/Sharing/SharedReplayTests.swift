import XCTest
@testable import RouteRisk

/// `forSharing()` on a hand-built replay whose every withheld value is worked out by hand.
final class SharedReplayTests: XCTestCase {
    let day = 86_400.0
    let cells = [(0, 0), (1, 0), (2, 0)]

    func step(_ number: Int, inCells: [Int], elsewhere: Int, hitRate: Double?, peiStar: Double?,
              routeHitRate: Double?, baselineHitRate: Double?) -> ReplayStep {
        let n = inCells.reduce(0, +) + elsewhere
        var events: [ReplayEvent] = []
        for (i, count) in inCells.enumerated() {
            for _ in 0..<count {
                events.append(ReplayEvent(position: PlanarPoint(x: 0, y: 0), lonLat: PlanarPoint(x: 110, y: 1), time: 0,
                                          persons: 1, hit: true, cell: HexCoordinate(q: cells[i].0, r: cells[i].1)))
            }
        }
        for _ in 0..<elsewhere {
            events.append(ReplayEvent(position: PlanarPoint(x: 0, y: 0), lonLat: PlanarPoint(x: 110, y: 1), time: 0,
                                      persons: 1, hit: false, cell: HexCoordinate(q: 9, r: 9)))
        }
        let metrics = ReplayStepMetrics(
            step: number, start: Double(number) * day, end: Double(number + 1) * day, testEvents: n, hitRate: hitRate,
            areaFraction: 0.03, pai: hitRate.map { $0 / 0.03 }, peiStar: peiStar, routeHitRate: routeHitRate,
            baselineHitRate: baselineHitRate, baselinePAI: baselineHitRate.map { $0 / 0.03 })
        let replayCells = cells.map { q, r in
            ReplayCell(q: q, r: r, intensityKm2: 0.012345 * Double(q + 1), ring: [], ringLonLat: [])
        }
        return ReplayStep(metrics: metrics, cells: replayCells, events: events, topRoutes: ["r1"])
    }

    func replay() throws -> ReplayResult {
        let steps = [
            // N = 12: 7, 3, 0 in the cells and 2 elsewhere. Elsewhere (2) is small, so the hit rate
            // (10/12) would give it back: rates withheld, and the smallest cell (3) withheld with it.
            step(1, inCells: [7, 3, 0], elsewhere: 2, hitRate: 10.0 / 12, peiStar: 1, routeHitRate: 6.0 / 12, baselineHitRate: 0.5),
            // N = 2 < 3: the whole step.
            step(2, inCells: [1, 0, 0], elsewhere: 1, hitRate: 0.5, peiStar: 1, routeHitRate: 0.5, baselineHitRate: 0.5),
            // N = 10: 5, 1, 4, none elsewhere. Cell 2 (1) is withheld, and cell 3 (4) as its complement;
            // the route hit rate 9/10 leaves 1 event off the top routes: withheld; the baseline 5/10 stays.
            step(3, inCells: [5, 1, 4], elsewhere: 0, hitRate: 1, peiStar: 1, routeHitRate: 0.9, baselineHitRate: 0.5),
        ]
        var summary = ReplaySummary(
            model: "routerisk-2", steps: 3, stepsWithTestEvents: 3, coverage: "1%", cellsChosen: 3, meanHitRate: 0,
            meanAreaFraction: 0, meanPAI: 0, meanPEIStar: 0, meanRouteHitRate: 0, meanBaselineHitRate: 0,
            meanBaselinePAI: 0, paiRatio: 0)
        summary.forecast = "routerisk-2"
        summary.meanKdePAI = 12
        summary.kdePaiRatio = 1.5
        let map = ReplayMap(coastline: [], borders: [], posts: [], routes: [], minX: 0, minY: 0, maxX: 1, maxY: 1)
        return ReplayResult(steps: steps, summary: summary, map: map, optionsText: "cell 5 km", cellSize: 5000,
                            corridor: 2000, scenePath: "/s", share: try SmallCountSuppression(minimumCount: 3))
    }

    func testSharedReplayWithholdsSmallCountsAndTheirComplements() throws {
        let shared = try replay().forSharing()
        let sharing = try XCTUnwrap(shared.sharing)
        XCTAssertTrue(shared.steps.allSatisfy { $0.events.isEmpty }, "no event point survives")

        XCTAssertEqual(sharing.steps[0].inCells, [7, nil, 0])
        XCTAssertNil(sharing.steps[0].elsewhere)
        XCTAssertEqual(sharing.steps[0].testEvents, 12)
        let m1 = shared.steps[0].metrics
        XCTAssertNil(m1.hitRate); XCTAssertNil(m1.pai); XCTAssertNil(m1.peiStar)
        XCTAssertEqual(m1.routeHitRate, 0.5)
        XCTAssertEqual(m1.baselineHitRate, 0.5)
        XCTAssertTrue(sharing.steps[0].hitRateWithheld)

        XCTAssertTrue(sharing.isSuppressed(step: 1))
        XCTAssertEqual(sharing.steps[1].inCells, [nil, 0, 0])
        XCTAssertNil(sharing.steps[1].elsewhere)
        let m2 = shared.steps[1].metrics
        XCTAssertEqual(m2.testEvents, 0)
        XCTAssertEqual([m2.hitRate, m2.pai, m2.peiStar, m2.routeHitRate, m2.baselineHitRate, m2.baselinePAI].compactMap { $0 }, [])

        XCTAssertEqual(sharing.steps[2].inCells, [5, nil, nil])
        XCTAssertEqual(sharing.steps[2].elsewhere, 0)
        let m3 = shared.steps[2].metrics
        XCTAssertEqual(m3.hitRate, 1)
        XCTAssertNil(m3.routeHitRate)
        XCTAssertEqual(m3.baselineHitRate, 0.5)
        // A withheld cell's intensity is rounded to two significant digits: 0.012345 × 2, × 3.
        XCTAssertEqual(shared.steps[2].cells.map(\.intensityKm2), [0.012345, 0.025, 0.037])

        XCTAssertEqual(sharing.counts.replay_steps, 1)
        XCTAssertEqual(sharing.counts.replay_cells, 1 + 1 + 2)
        XCTAssertEqual(sharing.counts.replay_elsewhere, 2)
        // Means over the rates still shown: the hit rate of step 3 only, route hit rate of step 1.
        XCTAssertEqual(shared.summary.meanHitRate, 1)
        XCTAssertEqual(shared.summary.meanRouteHitRate, 0.5)
        XCTAssertEqual(shared.summary.stepsWithTestEvents, 2)
        XCTAssertEqual(shared.summary.steps, 3)
        // Which model and map ran stays; the KDE comparison over every step is left out.
        XCTAssertEqual(shared.summary.model, "routerisk-2")
        XCTAssertEqual(shared.summary.forecast, "routerisk-2")
        XCTAssertNil(shared.summary.meanKdePAI)
        XCTAssertNil(shared.summary.kdePaiRatio)
    }

    func testSharedRenderersCarryNoWithheldCount() throws {
        let shared = try replay().forSharing()
        let csv = ReplayOutput.metricsCSV(shared.steps.map(\.metrics), sharing: shared.sharing)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows[1][3], "12")
        XCTAssertEqual(rows[2][3], "", "a withheld step's count is empty")
        XCTAssertEqual(rows[2][4...].filter { !$0.isEmpty }, ["0.03"], "only the area fraction")
        let json = String(decoding: try ReplayOutput.summaryJSON(shared), as: UTF8.self)
        XCTAssertTrue(json.contains("\"share_min_count\" : 3"), json)
        let page = ReplayPage.html(shared)
        XCTAssertTrue(page.contains("\"share_min_count\":3"))
        XCTAssertTrue(page.contains("\"events\":[]"))
        XCTAssertFalse(page.contains("\"events\":[["))
        let notebook = String(decoding: try ReplayNotebook.json(shared), as: UTF8.self)
        XCTAssertTrue(notebook.contains("fewer than 3 test events"), "step 2 says its count is withheld")
        XCTAssertFalse(notebook.contains("fill=\\\"#111111\\\" stroke=\\\"#ffffff\\\""), "no hit marker")
    }
}
