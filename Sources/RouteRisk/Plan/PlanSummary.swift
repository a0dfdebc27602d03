import Foundation

/// `plan-summary.json` (MODEL §14): the objective, the bound and the gap, how the solver ended,
/// `plan_share`, the teams, and every option resolved.
public struct PlanSummary: Codable, Sendable {
    public struct Options: Codable, Sendable {
        public var as_of: String
        public var horizon_days: Double
        public var teams: Int
        public var radius_km: Double
        public var post_radius_km: Double
        /// "cells" (study-area cell centres) or the `--sites` path as given.
        public var sites: String
        public var solver: String
        public var time_limit_s: Double
        public var forecast: String
        public var crs: String
        public var cell_km: Double
        public var reach_km: Double
        public var window_days: Double?
        public var half_life_days: Double?
        public var weight: String
        public var bandwidth_rule: String
        public var bandwidth_km: Double
        public var corridor_km: Double
        public var skip_invalid: Bool
        /// `--threads` in force (the plan does not depend on it).
        public var threads: Int
    }

    public struct Team: Codable, Sendable {
        public var team: Int
        public var site_lon: Double
        public var site_lat: Double
        public var q: Int
        public var r: Int
        public var covered_expected: Double
        public var share: Double
        public var routes: [String]
        public var nearest_post: String?
        public var nearest_post_km: Double?
    }

    public var model: String
    public var objective: Double
    public var bound: Double
    public var gap: Double
    public var solver: String
    public var status: String
    public var time_s: Double
    public var plan_share: Double
    public var greedy_objective: Double
    /// What the objective may lose to the tie-break between optimal plans (≤ 1e-6 of the demand).
    public var tie_tolerance: Double
    public var demand_unit: String
    public var demand_total: Double
    public var demand_post_covered: Double
    public var cells_with_demand: Int
    public var cells_post_covered: Int
    public var candidate_sites: Int
    public var useful_sites: Int
    public var sites_read: Int?
    public var sites_skipped: [String]
    public var teams: [Team]
    public var options: Options
    public var notes: [String]
    public var stages_s: [String: Double]

    public init(_ result: PlanResult) {
        let s = result.solution
        let o = result.options, p = result.plan  // `p` holds the forecast and horizon in force
        model = p.forecast == .routerisk2 ? Summary.modelName : "routerisk-1"
        objective = s.objective
        bound = s.bound
        gap = s.gap
        solver = p.solver == .greedy ? "greedy" : "glpk \(PlanSummary.glpkVersion)"
        status = s.status.rawValue
        time_s = s.seconds
        plan_share = result.planShare
        greedy_objective = s.greedyObjective
        tie_tolerance = s.tieTolerance
        demand_unit = result.demandUnit
        demand_total = result.demandTotal
        demand_post_covered = result.demandPostCovered
        cells_with_demand = result.cellsWithDemand
        cells_post_covered = result.cellsPostCovered
        candidate_sites = result.candidateSites
        useful_sites = result.usefulSites
        sites_read = result.sitesRead
        sites_skipped = result.sitesSkipped
        teams = result.teams.map {
            Team(team: $0.team, site_lon: $0.siteLonLat.x, site_lat: $0.siteLonLat.y, q: $0.q, r: $0.r,
                 covered_expected: $0.coveredExpected, share: $0.share, routes: $0.routes,
                 nearest_post: $0.nearestPost, nearest_post_km: $0.nearestPostKm)
        }
        options = Options(
            as_of: Timestamp.isoDateTime(result.asOf), horizon_days: p.horizonDays, teams: p.teams,
            radius_km: p.radius / 1000, post_radius_km: p.postRadius / 1000, sites: p.sitesFile?.path ?? "cells",
            solver: p.solver.rawValue, time_limit_s: p.timeLimit, forecast: p.forecast.rawValue,
            crs: result.projection.origin == "auto" ? result.projection.definition : result.projection.projString,
            cell_km: o.cellSize / 1000, reach_km: o.reach / 1000, window_days: o.windowDays, half_life_days: o.halfLifeDays,
            weight: o.weighting.rawValue, bandwidth_rule: o.bandwidthText, bandwidth_km: result.bandwidthKm,
            corridor_km: o.corridor / 1000, skip_invalid: o.skipInvalid, threads: o.resolvedThreads)
        var notes: [String] = []
        switch s.status {
        case .optimal: notes.append("GLPK proved the plan optimal: no plan covers more than the bound.")
        case .timeLimit: notes.append("The time limit stopped GLPK: the plan is the best found, the bound the best proven; raise --time-limit to close the gap.")
        case .greedy: notes.append("Greedy plan: the bound is the (1 − 1/e) certificate objective / (1 − (1 − 1/K)^K).")
        }
        if p.forecast == .kde {
            notes.append("Demand is the kernel density of MODEL §5 (λ·a per cell): relative weight of recent interceptions, not a forecast of events; the horizon does not scale it.")
        }
        if p.postRadius > 0 { notes.append("Cells within the post radius of an official post count as watched and add nothing to the objective.") }
        self.notes = notes
        var stages: [String: Double] = [:]
        for (name, seconds) in result.stages { stages[name, default: 0] += seconds }
        stages_s = stages
    }

    static var glpkVersion: String { MixedIntegerProgram.solverVersion }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
