import Foundation

/// The options of `routerisk replay` beyond those of `score` (MODEL §10).
public struct ReplayOptions: Sendable {
    /// First fit time and the last one allowed, seconds since 1970 UTC.
    public var from: Double
    public var to: Double
    public var stepDays: Double = 30
    public var coverage: Coverage = .share(0.01)
    /// `--plan-teams` K (MODEL §14): score each step as a plan too; nil: no plan metrics.
    public var planTeams: Int? = nil
    /// `--plan-radius` ρ and `--post-radius` ρ₀, metres; the MIP's time limit per plan, seconds.
    public var planRadius = 15_000.0
    public var postRadius = 0.0
    public var planTimeLimit = 60.0

    public init(from: Double, to: Double, stepDays: Double = 30, coverage: Coverage = .share(0.01)) {
        self.from = from
        self.to = to
        self.stepDays = stepDays
        self.coverage = coverage
    }
}

/// Replays the history step by step (MODEL §10): at each step t the model is fitted exactly
/// as `score --as-of t` and tested on the valid study-area events with t < time ≤ t + step.
/// The scene, study area and route geometry are prepared once and shared by every step.
public struct ReplayRun {
    public let options: ScoreOptions
    public let replay: ReplayOptions

    public init(options: ScoreOptions, replay: ReplayOptions) {
        self.options = options
        self.replay = replay
    }

    /// The fit times t = from, from + step, … while t ≤ to.
    public var stepTimes: [Double] {
        var times: [Double] = []
        var t = replay.from
        while t <= replay.to {
            times.append(t)
            t = replay.from + Double(times.count) * replay.stepDays * 86400
        }
        return times
    }

    public func run(clock: StageClock = StageClock(), stepProgress: ((Int, Int) -> Void)? = nil) throws -> ReplayResult {
        let times = stepTimes
        guard !times.isEmpty else { throw RunError.usage("--from is after --to: no replay step") }
        Parallelism.threadCount = options.resolvedThreads
        let scene = try clock.measure("load") { try ScoreRun(options: options).loadScene() }
        let prepared = try PreparedScene(scene: scene, options: options, clock: clock)
        return try run(prepared, times: times, clock: clock, stepProgress: stepProgress)
    }

    func run(_ prepared: PreparedScene, times: [Double], clock: StageClock, stepProgress: ((Int, Int) -> Void)?) throws -> ReplayResult {
        let scene = prepared.frame.scene
        let area = prepared.studyArea
        let n = area.count
        let k = replay.coverage.cellCount(n: n, cellArea: area.grid.cellArea)
        let step = replay.stepDays * 86400
        // Checked once here; each worker makes its own (a PROJ context is one thread's: steps run two at a time).
        _ = try CoordinateTransformer(from: "EPSG:4326", to: prepared.frame.projection.definition)
        // The cell centres, for every step's KDE (§5).
        let centres = area.cells.map { area.grid.center(of: $0) }
        // Valid study-area events in time order, for the tests and the baseline's cumulative counts.
        let inArea = scene.interceptions.indices.filter { prepared.eventCell[$0] != nil }
        // MODEL §13: corridor distances and footprints once per scene (per distinct σ), not per step.
        let method = options.forecast.method
        let forecastScene: ForecastScene? = method == .routerisk2
            ? try clock.measure("forecast geometry") { try ForecastScene(prepared: prepared, settings: options.forecast) } : nil
        var kdePAIs: [Double?] = []

        var planScorer: ReplayPlanScorer?
        if let teams = replay.planTeams {
            guard teams <= n else {
                throw RunError.usage("--plan-teams \(teams): more teams than candidate sites (\(n) study-area cells)")
            }
            planScorer = ReplayPlanScorer(
                area: area, postCovered: PlanCoverage.postCovered(
                    area, posts: prepared.frame.posts.map(\.position), postRadius: replay.postRadius),
                radius: replay.planRadius, timeLimit: replay.planTimeLimit)
        }
        // One step: the fit as of t, its test, and routerisk-1's PAI on it (routerisk-2 only).
        func runStep(_ s: Int, _ t: Double, toLonLat: CoordinateTransformer) throws -> (step: ReplayStep, kdePAI: Double??) {
            var o = options
            o.asOf = t
            let fit = ModelFit(prepared: prepared, options: o, centres: centres)
            // Ranked by §13's λ (routerisk-2), or by §5's λ with --forecast kde; shown per km².
            let forecast = forecastScene?.forecast(asOf: t)
            let shown = forecast.map { f in f.expected.map { $0 / area.grid.cellArea * 1e6 } } ?? fit.intensity.map { $0 * 1e6 }
            let chosen = ForecastMetrics.topCells(forecast?.perDay ?? fit.intensity, k: k)
            let chosenSet = Set(chosen)

            var testCounts = [Int](repeating: 0, count: n)
            var history = [Double](repeating: 0, count: n)
            var tests: [Int] = []
            for i in inArea {
                let time = prepared.eventTime[i]
                let cell = prepared.eventCell[i]!
                if time <= t { history[cell] += 1 } else if time <= t + step {
                    testCounts[cell] += 1
                    tests.append(i)
                }
            }
            let skill = ForecastMetrics.skill(chosen: chosen, testCounts: testCounts, n: n)
            // routerisk-1's map on the same step, for the comparison in the summary.
            let kdePAI = forecast.map { _ in
                ForecastMetrics.skill(chosen: ForecastMetrics.topCells(fit.intensity, k: k), testCounts: testCounts, n: n)?.pai
            }
            // The naive baseline: raw counts of all history up to t, no decay, no smoothing.
            let baseline = ForecastMetrics.skill(
                chosen: ForecastMetrics.topCells(history, k: k), testCounts: testCounts, n: n)

            // §10's top 10 routes of the §9 ranking at t (the ranking needs the risk only).
            let topIndices = RouteScoring(prepared: prepared, selection: fit.selection, density: fit.density, options: o)
                .topRoutes(10)
            let top = topIndices.map { scene.routes[$0].id }
            // Test events near any of them, each counted once (a stamp per event, not a set).
            var nearTop = [Bool](repeating: false, count: scene.interceptions.count)
            for r in topIndices {
                for i in prepared.routeFacts[r].eventIndices { nearTop[Int(i)] = true }
            }
            let routeHits = tests.reduce(0) { $0 + (nearTop[$1] ? 1 : 0) }

            var metrics = ReplayStepMetrics(
                step: s + 1, start: t, end: t + step, testEvents: tests.count, hitRate: skill?.hitRate,
                areaFraction: Double(chosen.count) / Double(n), pai: skill?.pai, peiStar: skill?.peiStar,
                routeHitRate: tests.isEmpty ? nil : Double(routeHits) / Double(tests.count),
                baselineHitRate: baseline?.hitRate, baselinePAI: baseline?.pai)
            if let teams = replay.planTeams {
                // The plan covers the map that ranked the cells: §13's forecast, or §5's λ·a with --forecast kde.
                try planScorer!.score(
                    &metrics, teams: teams, demand: forecast?.expected ?? fit.intensity.map { $0 * area.grid.cellArea },
                    history: history, testCounts: testCounts)
            }
            let cells = try chosen.map { j -> ReplayCell in
                let c = area.cells[j]
                let ring = area.grid.vertices(of: c)
                return ReplayCell(
                    q: c.q, r: c.r, intensityKm2: shown[j], ring: ring,
                    ringLonLat: try toLonLat.transformed(ring, inverse: true))
            }
            let events = tests.map { i -> ReplayEvent in
                let e = scene.interceptions[i]
                return ReplayEvent(
                    position: prepared.frame.eventPoints[i], lonLat: PlanarPoint(x: e.lon, y: e.lat), time: e.time,
                    persons: e.persons, hit: chosenSet.contains(prepared.eventCell[i]!),
                    cell: area.cells[prepared.eventCell[i]!])
            }
            return (ReplayStep(metrics: metrics, cells: cells, events: events, topRoutes: top), kdePAI)
        }
        // The steps do not depend on one another: two at a time on two cores (each step's own parallel parts
        // leave a core idle in their serial parts: the steps took 1.43 times as long on one thread as on two),
        // each kept in its slot, so the result is the same in any order. One at a time with a plan: its
        // solver is one per run.
        let workers = planScorer == nil ? Swift.min(2, Parallelism.threadCount, times.count) : 1
        var slots = [Result<(step: ReplayStep, kdePAI: Double??), Error>?](repeating: nil, count: times.count)
        let progress = NSLock()
        var completed = 0
        clock.measure("replay steps") {
            slots.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                Parallelism.run(workers: workers) { w in
                    // One transformer (and PROJ context) per worker, not per step: making one reads proj.db.
                    let toLonLat = Result { try CoordinateTransformer(from: "EPSG:4326", to: prepared.frame.projection.definition) }
                    var s = w
                    while s < times.count {
                        base[s] = Result { try runStep(s, times[s], toLonLat: toLonLat.get()) }
                        progress.withLock {
                            completed += 1
                            stepProgress?(completed, times.count)
                        }
                        s += workers
                    }
                }
            }
        }
        var steps: [ReplayStep] = []
        for slot in slots {
            let (step, kdePAI) = try slot!.get()
            steps.append(step)
            if let kdePAI { kdePAIs.append(kdePAI) }
        }
        let map = try clock.measure("replay map") { try Self.map(prepared) }
        var summary = Self.summary(steps.map(\.metrics), coverage: replay.coverage, k: k)
        summary.forecast = method.rawValue
        summary.model = method == .routerisk2 ? Summary.modelName : "routerisk-1"
        if method == .routerisk2 {
            let tested = zip(steps, kdePAIs).filter { $0.0.metrics.testEvents > 0 }.compactMap { $0.1 }
            let meanKde = tested.isEmpty ? nil : tested.reduce(0, +) / Double(tested.count)
            summary.meanKdePAI = meanKde
            summary.kdePaiRatio = summary.meanPAI.flatMap { m in meanKde.flatMap { $0 > 0 ? m / $0 : nil } }
        }
        if let teams = replay.planTeams { Self.addPlanMeans(&summary, steps.map(\.metrics), teams: teams, replay: replay) }
        return ReplayResult(
            steps: steps, summary: summary, map: map,
            optionsText: Self.optionsText(options, replay), cellSize: options.cellSize, corridor: options.corridor,
            scenePath: scene.paths[.routes].map { ($0 as NSString).deletingLastPathComponent } ?? "",
            share: options.share)
    }

    /// Means over the steps with test events; `pai_ratio` = mean pai / mean baseline_pai.
    static func summary(_ metrics: [ReplayStepMetrics], coverage: Coverage, k: Int) -> ReplaySummary {
        let tested = metrics.filter { $0.testEvents > 0 }
        func mean(_ values: [Double?]) -> Double? {
            let v = values.compactMap { $0 }
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        let meanPAI = mean(tested.map(\.pai))
        let meanBaselinePAI = mean(tested.map(\.baselinePAI))
        return ReplaySummary(
            model: Summary.modelName, steps: metrics.count, stepsWithTestEvents: tested.count,
            coverage: coverage.description, cellsChosen: k, meanHitRate: mean(tested.map(\.hitRate)),
            meanAreaFraction: mean(tested.map { $0.areaFraction }), meanPAI: meanPAI,
            meanPEIStar: mean(tested.map(\.peiStar)), meanRouteHitRate: mean(tested.map(\.routeHitRate)),
            meanBaselineHitRate: mean(tested.map(\.baselineHitRate)), meanBaselinePAI: meanBaselinePAI,
            paiRatio: meanPAI.flatMap { m in meanBaselinePAI.flatMap { $0 > 0 ? m / $0 : nil } })
    }

    /// The means of the plan metrics over the steps with test events (MODEL §14).
    static func addPlanMeans(_ summary: inout ReplaySummary, _ metrics: [ReplayStepMetrics], teams: Int, replay: ReplayOptions) {
        let tested = metrics.filter { $0.testEvents > 0 }
        func mean(_ values: [Double?]) -> Double? {
            let v = values.compactMap { $0 }
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        summary.planTeams = teams
        summary.planRadiusKm = replay.planRadius / 1000
        summary.postRadiusKm = replay.postRadius / 1000
        summary.meanPlanHitRate = mean(tested.map(\.planHitRate))
        summary.meanBaselinePlanHitRate = mean(tested.map(\.baselinePlanHitRate))
        summary.meanHindsightHitRate = mean(tested.map(\.hindsightHitRate))
        summary.meanPlanEfficiency = mean(tested.map(\.planEfficiency))
    }

    static func optionsText(_ o: ScoreOptions, _ r: ReplayOptions) -> String {
        var parts = [
            "cell \(Explanation.number(o.cellSize / 1000)) km", "coverage \(r.coverage)",
            "step \(Explanation.number(r.stepDays)) d", "bandwidth \(o.bandwidthText)",
            "half-life " + (o.halfLifeDays.map { "\(Explanation.number($0)) d" } ?? "none"),
            "window " + (o.windowDays.map { "\(Explanation.number($0)) d" } ?? "all history"),
            "weight \(o.weighting.rawValue)", "corridor \(Explanation.number(o.corridor / 1000)) km",
        ]
        // routerisk-2 says so; with --forecast kde the text stays routerisk-1's.
        if o.forecast.method == .routerisk2 { parts.append("forecast routerisk-2") }
        if o.crs != "auto" { parts.append("crs \(o.crs)") }
        return parts.joined(separator: ", ")
    }

    /// The geography for the page, simplified to a quarter of a cell (GEOSTopologyPreserveSimplify_r);
    /// lines shorter than a cell are left out of the map only.
    static func map(_ prepared: PreparedScene) throws -> ReplayMap {
        let context = try GEOSContext()
        let tolerance = prepared.studyArea.grid.cellSize / 4
        func simplify(_ lines: [[PlanarPoint]], dropShort: Bool) throws -> [[PlanarPoint]] {
            try lines.compactMap { line in
                let g = try Geometry.lineString(line, context: context)
                if dropShort, try g.length < prepared.studyArea.grid.cellSize { return nil }
                return try g.simplified(tolerance: tolerance).coordinates.map {
                    PlanarPoint(x: $0.x.rounded(), y: $0.y.rounded())
                }
            }
        }
        let frame = prepared.frame
        let centres = prepared.studyArea.cells.map { prepared.studyArea.grid.center(of: $0) }
        let R = prepared.studyArea.grid.circumradius
        return ReplayMap(
            coastline: try simplify(frame.coastline, dropShort: true), borders: try simplify(frame.borders, dropShort: false),
            posts: zip(frame.scene.posts, frame.posts).map { ($0.name, $0.kind, $1.position) },
            routes: zip(frame.scene.routes, frame.routes).map { ($0.id, $0.name, $1) },
            minX: (centres.map(\.x).min() ?? 0) - R, minY: (centres.map(\.y).min() ?? 0) - R,
            maxX: (centres.map(\.x).max() ?? 0) + R, maxY: (centres.map(\.y).max() ?? 0) + R)
    }
}
