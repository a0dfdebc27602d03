import Foundation

/// One patrol team of a plan (MODEL §14), in team order.
public struct PlanTeam: Sendable {
    public let team: Int
    /// The site in the working projection and in lon/lat.
    public let site: PlanarPoint
    public let siteLonLat: PlanarPoint
    /// The cell that holds the site.
    public let q: Int
    public let r: Int
    /// Its marginal gain in team order, in demand units (events over the horizon; weight for kde).
    public let coveredExpected: Double
    /// coveredExpected / Σ_j d_j.
    public let share: Double
    /// Ids of the routes whose corridor (§9) intersects the team's disc, by rank.
    public let routes: [String]
    public let nearestPost: String?
    public let nearestPostKm: Double?
    public let explanation: String
    /// The disc (GEOS buffer of the site by ρ), in the working projection and in lon/lat.
    public let disc: [PlanarPoint]
    public let discLonLat: [PlanarPoint]
}

/// A cell with demand, for the brief's map.
public struct PlanDemandCell: Sendable {
    public let ring: [PlanarPoint]
    public let demand: Double
    public let postCovered: Bool
}

/// Everything `routerisk plan` produced.
public struct PlanResult: Sendable {
    public let options: ScoreOptions
    public let plan: PlanOptions
    public let projection: WorkingProjection
    public let asOf: Double
    public let teams: [PlanTeam]
    public let solution: CoveragePlan
    /// Σ_j d_j over every study-area cell, and the part of it in post-covered cells.
    public let demandTotal: Double
    public let demandPostCovered: Double
    public let cellsWithDemand: Int
    public let cellsPostCovered: Int
    public let candidateSites: Int
    /// Sites of the MIP: those covering at least one cell with demand.
    public let usefulSites: Int
    /// `--sites`: points read, and the problems of those skipped (outside the study area).
    public let sitesRead: Int?
    public let sitesSkipped: [String]
    public let bandwidthKm: Double
    public let map: ReplayMap
    public let demandCells: [PlanDemandCell]
    public let scenePath: String
    public let stages: [(name: String, seconds: Double)]

    /// objective / Σ_j d_j.
    public var planShare: Double { demandTotal > 0 ? solution.objective / demandTotal : 0 }

    /// What the demand counts, for the summary, the table and the page.
    public var demandUnit: String {
        plan.forecast == .kde ? "kernel-density weight (λ·a, weighted events)" : "expected events over the horizon"
    }
}
