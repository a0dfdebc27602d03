import XCTest
@testable import RouteRisk

/// MODEL §13 on the tiny fixture scene: the assembly, the zero cases, no leakage.
final class ForecastSceneTests: XCTestCase {
    static let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny")

    func prepared(interceptions: URL? = nil, configure: (inout ScoreOptions) -> Void = { _ in }) throws -> (PreparedScene, ScoreOptions) {
        var o = ScoreOptions()
        o.layers = try SceneDescription.load(directory: Self.tiny).layers
        if let interceptions { o.layers[.interceptions] = LayerSource(url: interceptions) }
        o.cellSize = 5000
        o.now = Timestamp.parse("2026-01-01")!
        configure(&o)
        let scene = try ScoreRun(options: o).loadScene()
        return (try PreparedScene(scene: scene, options: o, clock: StageClock()), o)
    }

    func testTheForecastAddsUpToItsRoutesAndItsBackground() throws {
        let (p, o) = try prepared()
        let asOf = Timestamp.parse("2024-06-01")!
        let f = try routeAwareForecast(prepared: p, asOf: asOf, options: o)
        XCTAssertNil(f.note)
        XCTAssertEqual(f.expected.count, p.studyArea.count)
        XCTAssertEqual(f.routeExpectedNext.count, p.frame.routes.count)
        // forecast = λ·Δ and expected_next = ρ·Δ with Δ = 30 d.
        for (e, l) in zip(f.expected, f.perDay) { XCTAssertEqual(e, l * 30, accuracy: 1e-15 * max(1, e)) }
        for (e, r) in zip(f.routeExpectedNext, f.routePerDay) { XCTAssertEqual(e, r * 30, accuracy: 1e-15 * max(1, e)) }
        // Σ_c λ(c) = Σ_r ρ_r Φ_r + Σ_c λ_bg(c); route_share is the first term's share.
        let scene = try ForecastScene(prepared: p, settings: o.forecast)
        let footprints = scene.perSigma(f.jitter.sigma).footprints
        let routeMass = zip(f.routePerDay, footprints).reduce(0.0) { $0 + $1.0 * $1.1.total }
        let total = f.perDay.reduce(0, +)
        XCTAssertEqual(try XCTUnwrap(f.routeShare), routeMass / total, accuracy: 1e-12)
        XCTAssertGreaterThan(routeMass, 0)
        XCTAssertLessThan(routeMass, total)
        XCTAssertEqual(f.events, f.corridorEvents + f.backgroundEvents)
        // Every event of the tiny scene at or before as_of counts (all history, no window).
        let csv = try String(contentsOf: Self.tiny.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        let dates = csv.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
        XCTAssertEqual(f.events, dates.filter { $0 <= "2024-06-01" }.count)
    }

    func testNoEventBeforeAsOfGivesZeroAndSaysWhy() throws {
        let (p, o) = try prepared()
        let f = try routeAwareForecast(prepared: p, asOf: Timestamp.parse("2019-01-01")!, options: o)
        XCTAssertEqual(f.expected, [Double](repeating: 0, count: p.studyArea.count))
        XCTAssertTrue(f.note?.contains("no valid study-area interception") ?? false)
        // as_of at the very first event: D = 0.
        let interceptions = p.frame.scene.interceptions
        let first = interceptions.indices.filter { p.eventCell[$0] != nil }.map { interceptions[$0].time }.min()!
        let g = try routeAwareForecast(prepared: p, asOf: first, options: o)
        XCTAssertEqual(g.expected.reduce(0, +), 0)
        XCTAssertTrue(g.note?.contains("D = 0") ?? false, g.note ?? "")
    }

    func testAFutureEventChangesNothingBeforeItsDate() throws {
        // Move the last event of the file (the latest date) next to another route: a forecast as of any
        // earlier time must not change at all (σ, shares, rates and background see only the past).
        let csv = try String(contentsOf: Self.tiny.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        var lines = csv.split(separator: "\n").map(String.init)
        let dates = lines.dropFirst().map { $0.split(separator: ",")[1] }
        let last = dates.indices.max { dates[$0] < dates[$1] }! + 1
        var fields = lines[last].split(separator: ",").map(String.init)
        let movedTime = Timestamp.parse(fields[1])!
        fields[2] = "110.42000"; fields[3] = "0.62000"
        lines[last] = fields.joined(separator: ",")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forecast-leak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let moved = dir.appendingPathComponent("interceptions.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: moved, atomically: true, encoding: .utf8)
        let (a, o) = try prepared()
        let (b, _) = try prepared(interceptions: moved)
        let sa = try ForecastScene(prepared: a, settings: o.forecast), sb = try ForecastScene(prepared: b, settings: o.forecast)
        var compared = 0
        var t = Timestamp.parse("2021-06-01")!
        while t < movedTime {
            let fa = sa.forecast(asOf: t), fb = sb.forecast(asOf: t)
            XCTAssertEqual(fa.perDay, fb.perDay, "as of \(Timestamp.isoDate(t))")
            XCTAssertEqual(fa.routePerDay, fb.routePerDay)
            XCTAssertEqual(fa.jitter, fb.jitter)
            compared += 1
            t += 60 * 86400
        }
        XCTAssertGreaterThan(compared, 10)
        // … and after its date the forecast does see it.
        XCTAssertNotEqual(sa.forecast(asOf: movedTime).perDay, sb.forecast(asOf: movedTime).perDay)
    }

    func testAGivenJitterIsUsedAsGivenAndFootprintsAreCachedPerSigma() throws {
        let (p, o) = try prepared { try! $0.set("jitter", to: "700m") }
        let scene = try ForecastScene(prepared: p, settings: o.forecast)
        let f = scene.forecast(asOf: Timestamp.parse("2024-06-01")!)
        XCTAssertEqual(f.jitter.sigma, 700)
        XCTAssertEqual(f.jitter.rule, "given")
        let first = scene.perSigma(700).footprints.map(\.mass)
        XCTAssertEqual(scene.perSigma(700).footprints.map(\.mass), first)
    }

    func testASecondSigmaComputesTheDistancesAgainAndGetsTheSharesOfAFreshScene() throws {
        // b_att = 40 km: most events of the tiny scene are then near several routes.
        let (p, o) = try prepared { try! $0.set("jitter", to: "700m"); try! $0.set("attribution-distance", to: "40km") }
        // The first σ consumes the stored distances (its shares are written over them) …
        let scene = try ForecastScene(prepared: p, settings: o.forecast)
        let at700 = scene.perSigma(700).shares
        let at1500 = scene.perSigma(1500).shares
        // … so a second σ recomputes them: the same shares as a scene that meets σ = 1.5 km first.
        let fresh = try ForecastScene(prepared: p, settings: o.forecast)
        XCTAssertEqual(fresh.perSigma(1500).shares, at1500)
        XCTAssertEqual(fresh.perSigma(700).shares, at700)
        // Shares of each multi-route event sum to 1, and σ matters.
        XCTAssertNotEqual(at700, at1500)
        XCTAssertGreaterThan((0..<scene.corridorNear.events).filter { scene.corridorNear.range($0).count > 1 }.count, 20)
        for k in 0..<scene.corridorNear.events {
            let r = scene.corridorNear.range(k)
            XCTAssertEqual(r.reduce(0.0) { $0 + at1500[$1] }, 1, accuracy: 1e-12)
        }
    }

    func testStreamedPairsGiveTheForecastOfTheKeptPairs() throws {
        // b_att = 40 km, σ of 5 and 15 km and a 30-day window: most events are near several routes
        // whose shares depend on c_r, and the window reaches back over many blocks of 7 events; σ auto
        // compares the nearest distances of the two paths (the fit sees them).
        for jitter in ["5km", "15km", "auto"] {
            let (p, o) = try prepared {
                try! $0.set("jitter", to: jitter); try! $0.set("attribution-distance", to: "40km")
                try! $0.set("attribution-window", to: "30d")
            }
            // Sum chunks of the default size (one chunk here), and small ones that end inside blocks of 7,
            // line up with them, or lie whole inside one (summed in parallel).
            for sumChunk in [ForecastScene.defaultSumChunk, 5, 7, 3] {
            let kept = try ForecastScene(prepared: p, settings: o.forecast, sumChunk: sumChunk)
            // Parts of 3 events: blocks of 7 are made of three parts, the last of one event.
            let streamed = try ForecastScene(prepared: p, settings: o.forecast, keepsPairs: false, blockSize: 7,
                                             partSize: 3, sumChunk: sumChunk)
            XCTAssertGreaterThan(kept.corridorPositions.count, 50)
            XCTAssertEqual(streamed.corridorNear.route, [])
            for day in ["2022-03-01", "2024-06-01", "2026-01-01"] {
                let t = Timestamp.parse(day)!
                let a = kept.forecast(asOf: t), b = streamed.forecast(asOf: t)
                XCTAssertEqual(a.perDay, b.perDay, "\(jitter) as of \(day), chunks of \(sumChunk)")
                XCTAssertEqual(a.routePerDay, b.routePerDay)
                XCTAssertEqual(a.jitter, b.jitter)
                XCTAssertEqual(a.kappa, b.kappa)
                XCTAssertEqual([a.events, a.corridorEvents, a.backgroundEvents], [b.events, b.corridorEvents, b.backgroundEvents])
                XCTAssertGreaterThan(a.routePerDay.reduce(0, +), 0)
            }
            }
        }
    }

    /// The footprints are built on another thread while the shares are made (kept pairs) or streamed: the forecast
    /// is the one of a single thread, bit for bit, and the footprints those of `FootprintBuilder` alone.
    func testFootprintsBuiltAlongsideTheSharesGiveTheForecastOfOneThread() throws {
        let (p, o) = try prepared { try! $0.set("attribution-distance", to: "40km") }
        defer { Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount }
        let t = Timestamp.parse("2024-06-01")!
        var forecasts: [[Forecast]] = []
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            let kept = try ForecastScene(prepared: p, settings: o.forecast)
            let streamed = try ForecastScene(prepared: p, settings: o.forecast, keepsPairs: false, blockSize: 7, partSize: 3)
            let a = kept.forecast(asOf: t), b = streamed.forecast(asOf: t)
            let alone = FootprintBuilder.build(routes: kept.routes, lengths: kept.lengths, sigma: a.jitter.sigma,
                                               area: kept.area, attributionDistance: o.forecast.attributionDistance)
            XCTAssertEqual(kept.perSigma(a.jitter.sigma).footprints.map(\.mass), alone.map(\.mass))
            XCTAssertEqual(streamed.perSigma(b.jitter.sigma).footprints.map(\.cells), alone.map(\.cells))
            forecasts.append([a, b])
        }
        for k in 0..<2 {
            XCTAssertEqual(forecasts[0][k].perDay, forecasts[1][k].perDay)
            XCTAssertEqual(forecasts[0][k].routePerDay, forecasts[1][k].routePerDay)
            XCTAssertGreaterThan(forecasts[1][k].routePerDay.reduce(0, +), 0)
        }
    }
}
