import Foundation

/// One run of `routerisk plan` (MODEL §14): the model fitted as of `as_of`, the demand per
/// cell, the candidate sites and their coverage, the greedy plan and the MIP, then the teams.
public struct PlanRun {
    public let options: ScoreOptions
    public let plan: PlanOptions

    public init(options: ScoreOptions, plan: PlanOptions) {
        self.options = options
        self.plan = plan
    }

    public func run(clock: StageClock = StageClock()) throws -> PlanResult {
        // The forecast and its horizon are §13's options (`--forecast`, `--horizon`).
        var plan = self.plan
        plan.forecast = options.forecast.method
        plan.horizonDays = options.forecast.horizonDays
        try plan.validate()
        Parallelism.threadCount = options.resolvedThreads
        let scene = try clock.measure("load") { try ScoreRun(options: options).loadScene() }
        let prepared = try PreparedScene(scene: scene, options: options, clock: clock)
        let area = prepared.studyArea
        let frame = prepared.frame
        let toLonLat = try CoordinateTransformer(from: "EPSG:4326", to: frame.projection.definition)

        // Sites: --sites points inside the study area (the others reported and skipped), or cell centres.
        var sites = PlanSites.cells
        var sitesRead: Int?
        var skipped: [String] = []
        if let file = plan.sitesFile {
            let loaded = try SceneLoader(now: options.now, inputCRS: options.inputCRS).loadSites(file)
            if !loaded.problems.isEmpty && !options.skipInvalid {
                throw RunError.badData(loaded.problems.map(\.description))
            }
            skipped += loaded.problems.map { "\($0.description) (skipped)" }
            let projected = try toLonLat.transformed(loaded.sites.map(\.position))
            var inside: [PlanarPoint] = []
            for (p, site) in zip(projected, loaded.sites) {
                if area.cellIndex(containing: p) != nil { inside.append(p) } else {
                    skipped.append("\(site.location): site outside the study area (skipped)")
                }
            }
            sitesRead = loaded.sites.count + loaded.problems.count
            sites = .points(inside)
        }
        let positions = PlanCoverage.positions(sites, area: area)
        guard plan.teams <= positions.count else {
            throw RunError.usage(
                "--teams \(plan.teams): more teams than candidate sites (\(positions.count)\(plan.sitesFile == nil ? " study-area cells" : " sites inside the study area")); give at most \(positions.count)")
        }

        let fit = clock.measure("kernel density") { ModelFit(prepared: prepared, options: options) }
        let demand = try clock.measure("forecast") {
            try PlanDemand.perCell(prepared: prepared, fit: fit, options: options, forecast: plan.forecast)
        }
        let postCovered = PlanCoverage.postCovered(area, posts: frame.posts.map(\.position), postRadius: plan.postRadius)
        let effective = zip(demand, postCovered).map { $1 ? 0 : $0 }
        let problem = clock.measure("coverage") {
            PlanCoverage.problem(area, demand: effective, sites: sites, radius: plan.radius, teams: plan.teams)
        }
        let solution = try clock.measure("solve") {
            try MaximalCovering.solve(problem, solver: plan.solver, timeLimit: plan.timeLimit)
        }
        let demandTotal = demand.reduce(0, +)
        let ranking = clock.measure("routes") {
            RouteScoring(prepared: prepared, selection: fit.selection, density: fit.density, options: options).run()
        }
        let teams = try clock.measure("teams") {
            try PlanTeams(
                frame: frame, area: area, options: options, plan: plan, ranking: ranking, toLonLat: toLonLat
            ).teams(solution, positions: positions, demandTotal: demandTotal)
        }
        let map = try clock.measure("map") { try ReplayRun.map(prepared) }
        let demandCells = area.cells.indices.filter { demand[$0] > 0 }.map {
            PlanDemandCell(ring: area.grid.vertices(of: area.cells[$0]), demand: demand[$0], postCovered: postCovered[$0])
        }
        return PlanResult(
            options: options, plan: plan, projection: frame.projection, asOf: fit.selection.asOf, teams: teams,
            solution: solution, demandTotal: demandTotal,
            demandPostCovered: zip(demand, postCovered).reduce(0.0) { $0 + ($1.1 ? $1.0 : 0) },
            cellsWithDemand: demand.filter { $0 > 0 }.count, cellsPostCovered: postCovered.filter { $0 }.count,
            candidateSites: positions.count, usefulSites: problem.coverage.filter { !$0.isEmpty }.count,
            sitesRead: sitesRead, sitesSkipped: skipped, bandwidthKm: fit.bandwidth.bandwidth / 1000, map: map,
            demandCells: demandCells,
            scenePath: scene.paths[.routes].map { ($0 as NSString).deletingLastPathComponent } ?? "",
            stages: clock.stages)
    }
}

/// The per-team facts of MODEL §14: disc, routes through it, nearest post, explanation.
struct PlanTeams {
    let frame: ProjectedScene
    let area: StudyArea
    let options: ScoreOptions
    let plan: PlanOptions
    let ranking: [RouteScore]
    let toLonLat: CoordinateTransformer
    /// Segments per quarter circle of the team discs.
    static let discQuadrantSegments: Int32 = 16

    func teams(_ solution: CoveragePlan, positions: [PlanarPoint], demandTotal: Double) throws -> [PlanTeam] {
        let context = try GEOSContext()
        // Route corridors (§9's buffer: 8 segments per quarter circle, the parts buffered as a whole), in rank order.
        let routeIndex = Dictionary(uniqueKeysWithValues: frame.scene.routes.enumerated().map { ($1.id, $0) })
        let corridors = try ranking.map { r in
            (id: r.id, geometry: try Geometry.lines(frame.routes[routeIndex[r.id]!], context: context, multi: true)
                .buffer(by: options.corridor))
        }
        return try solution.sites.enumerated().map { t, site in
            let p = positions[site]
            let disc = try Geometry.point(p, context: context).buffer(by: plan.radius, quadrantSegments: Self.discQuadrantSegments)
            let prepared = try disc.prepared()
            let routes = try corridors.filter { try prepared.intersects($0.geometry) }.map(\.id)
            var nearest: (name: String, distance: Double)?
            for (post, projected) in zip(frame.scene.posts, frame.posts) {
                let d = projected.position.distance(to: p)
                if nearest == nil || d < nearest!.distance { nearest = (post.name, d) }
            }
            let ring = try disc.linearParts().first ?? []
            let lonLat = try toLonLat.transformed([p] + ring, inverse: true)
            let cell = area.grid.cell(containing: p)
            let gain = solution.gains[t]
            let share = demandTotal > 0 ? gain / demandTotal : 0
            return PlanTeam(
                team: t + 1, site: p, siteLonLat: lonLat[0], q: cell.q, r: cell.r, coveredExpected: gain, share: share,
                routes: routes, nearestPost: nearest?.name, nearestPostKm: nearest.map { $0.distance / 1000 },
                explanation: PlanExplanation.sentence(
                    team: t + 1, lonLat: lonLat[0], gain: gain, share: share, radiusKm: plan.radius / 1000,
                    horizonDays: plan.horizonDays, forecast: plan.forecast, routes: routes,
                    nearestPost: nearest?.name, nearestPostKm: nearest.map { $0.distance / 1000 }),
                disc: ring, discLonLat: Array(lonLat.dropFirst()))
        }
    }
}

/// The sentence a patrol commander reads for one team (MODEL §14).
enum PlanExplanation {
    static func sentence(
        team: Int, lonLat: PlanarPoint, gain: Double, share: Double, radiusKm: Double, horizonDays: Double,
        forecast: PlanForecast, routes: [String], nearestPost: String?, nearestPostKm: Double?
    ) -> String {
        var parts: [String] = []
        let position = coordinates(lonLat)
        switch forecast {
        case .routerisk2:
            parts.append("Team \(team) at \(position) meets \(amount(gain)) expected interceptions in the next \(Explanation.number(horizonDays)) days within \(Explanation.number(radiusKm)) km (\(ReplayFormat.percent(share)) of the forecast) beyond the teams before it")
        case .kde:
            parts.append("Team \(team) at \(position) covers \(ReplayFormat.percent(share)) of the recent interception density within \(Explanation.number(radiusKm)) km (weight \(amount(gain))) beyond the teams before it")
        }
        switch routes.count {
        case 0: parts.append("no listed route passes within its reach")
        case 1...4: parts.append("route\(routes.count == 1 ? "" : "s") \(routes.joined(separator: ", "))")
        default: parts.append("routes \(routes.prefix(4).joined(separator: ", ")) and \(routes.count - 4) more")
        }
        if let post = nearestPost, let km = nearestPostKm {
            parts.append("\(Explanation.number(km)) km from the nearest post (\(post))")
        } else {
            parts.append("no post in the scene")
        }
        return parts.joined(separator: "; ")
    }

    /// "1.234° N, 109.876° E".
    static func coordinates(_ p: PlanarPoint) -> String {
        String(format: "%.3f° %@, %.3f° %@", abs(p.y), p.y >= 0 ? "N" : "S", abs(p.x), p.x >= 0 ? "E" : "W")
    }

    /// Two significant decimals below 10, one below 100, whole above.
    static func amount(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        if v == 0 { return "0" }
        if v < 10 { return String(format: "%.2f", v) }
        if v < 100 { return String(format: "%.1f", v) }
        return String(format: "%.0f", v)
    }
}
