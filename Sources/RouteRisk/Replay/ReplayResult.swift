import Foundation

/// The metrics of one replay step (MODEL §10); rates are nil for a step without test events.
public struct ReplayStepMetrics: Sendable, Codable, Equatable {
    public let step: Int
    /// Fit time t (as_of of the step) and the end of the test period t + step, seconds since 1970 UTC.
    public let start: Double
    public let end: Double
    public let testEvents: Int
    public let hitRate: Double?
    public let areaFraction: Double
    public let pai: Double?
    public let peiStar: Double?
    public let routeHitRate: Double?
    public let baselineHitRate: Double?
    public let baselinePAI: Double?
    /// MODEL §14 with `--plan-teams`: the plan's share of the step's test events (posts' cells
    /// excluded from both sides), the baseline plan's, the best any K sites could have done, and
    /// plan / hindsight. Nil without `--plan-teams` or without test events outside posts' cells.
    public var planHitRate: Double? = nil
    public var baselinePlanHitRate: Double? = nil
    public var hindsightHitRate: Double? = nil
    public var planEfficiency: Double? = nil

    public init(step: Int, start: Double, end: Double, testEvents: Int, hitRate: Double?, areaFraction: Double,
                pai: Double?, peiStar: Double?, routeHitRate: Double?, baselineHitRate: Double?, baselinePAI: Double?) {
        self.step = step; self.start = start; self.end = end; self.testEvents = testEvents
        self.hitRate = hitRate; self.areaFraction = areaFraction; self.pai = pai; self.peiStar = peiStar
        self.routeHitRate = routeHitRate; self.baselineHitRate = baselineHitRate; self.baselinePAI = baselinePAI
    }

    /// plan_efficiency of the baseline plan (baseline_plan_hit_rate / hindsight_hit_rate), for the charts.
    public var baselinePlanEfficiency: Double? {
        guard let b = baselinePlanHitRate, let h = hindsightHitRate, h > 0 else { return nil }
        return b / h
    }
}

/// A predicted hot cell of one step: its hexagon in map coordinates and its intensity.
public struct ReplayCell: Sendable, Equatable {
    public let q: Int
    public let r: Int
    /// The ranking map at the step's start per km²: §13's forecast (expected events over the horizon)
    /// or, with `--forecast kde`, §5's λ (weighted events).
    public let intensityKm2: Double
    /// The six vertices, in the page's map coordinates (working projection, metres).
    public let ring: [PlanarPoint]
    /// The same hexagon in lon/lat (for replay.geojson).
    public let ringLonLat: [PlanarPoint]
}

/// One test event of a step (no id, no personal field: position, date and persons only).
public struct ReplayEvent: Sendable, Equatable {
    public let position: PlanarPoint
    public let lonLat: PlanarPoint
    public let time: Double
    public let persons: Int
    /// True when it fell in one of the step's predicted cells.
    public let hit: Bool
    /// Its study-area cell, for the per-cell counts of a shared export (`--share`).
    public var cell: HexCoordinate? = nil
}

public struct ReplayStep: Sendable {
    public let metrics: ReplayStepMetrics
    /// The k predicted cells, ranked by intensity (descending), ties by (q, r).
    public let cells: [ReplayCell]
    public let events: [ReplayEvent]
    /// Ids of the top-10 routes of the step's ranking, in rank order.
    public let topRoutes: [String]
}

/// Geography for the replay page's map, in the working projection (metres), simplified.
public struct ReplayMap: Sendable {
    public let coastline: [[PlanarPoint]]
    public let borders: [[PlanarPoint]]
    public let posts: [(name: String, kind: PostKind, position: PlanarPoint)]
    public let routes: [(id: String, name: String, parts: [[PlanarPoint]])]
    /// The map's extent (study area envelope), metres.
    public let minX: Double, minY: Double, maxX: Double, maxY: Double
}

/// Means over the steps with test events, and the ratio of the model's PAI to the baseline's.
public struct ReplaySummary: Sendable, Codable, Equatable {
    public var model: String
    public let steps: Int
    public let stepsWithTestEvents: Int
    public let coverage: String
    public let cellsChosen: Int
    public let meanHitRate: Double?
    public let meanAreaFraction: Double?
    public let meanPAI: Double?
    public let meanPEIStar: Double?
    public let meanRouteHitRate: Double?
    public let meanBaselineHitRate: Double?
    public let meanBaselinePAI: Double?
    /// mean pai / mean baseline_pai.
    public let paiRatio: Double?
    /// Which map ranked the cells (MODEL §13: "routerisk-2" or "kde").
    public var forecast: String? = nil
    /// With routerisk-2: the mean PAI that §5's map (`--forecast kde`) reached on the same steps, and mean pai / it.
    public var meanKdePAI: Double? = nil
    public var kdePaiRatio: Double? = nil
    /// `--plan-teams` (MODEL §14), its radius and post radius (km), and the means of the plan metrics.
    public var planTeams: Int? = nil
    public var planRadiusKm: Double? = nil
    public var postRadiusKm: Double? = nil
    public var meanPlanHitRate: Double? = nil
    public var meanBaselinePlanHitRate: Double? = nil
    public var meanHindsightHitRate: Double? = nil
    public var meanPlanEfficiency: Double? = nil
}

/// Everything a replay produced, for the CSV, JSON, GeoJSON, page and notebook writers.
public struct ReplayResult: Sendable {
    public let steps: [ReplayStep]
    public let summary: ReplaySummary
    public let map: ReplayMap
    /// Options as text, for the page and the notebook ("cell 5 km, half-life 365 d, …").
    public let optionsText: String
    /// Cell size, metres, and the corridor half-width, metres.
    public let cellSize: Double
    public let corridor: Double
    public let scenePath: String
    /// `--share K`: the rule a shared export applies (`forSharing()`), nil without it.
    public var share: SmallCountSuppression? = nil
    /// Filled by `forSharing()`: per step the test events aggregated to the chosen cells.
    public var sharing: ReplaySharing? = nil
}
