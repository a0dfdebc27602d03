import Foundation

/// `summary.json` (MODEL §11): the model, every option in force (resolved), what was read
/// and used, the size of the study area, and wall time per stage.
public struct Summary: Codable, Sendable {
    /// routerisk-2: §1–§12 (routerisk-1) plus §13's route-aware forecast.
    public static let modelName = "routerisk-2"

    public struct Options: Codable, Sendable {
        public var crs: String
        public var crs_origin: String
        public var crs_in: String?
        public var as_of: String
        public var window_days: Double?
        public var window_start: String?
        public var half_life_days: Double?
        public var weight: String
        public var cell_km: Double
        public var reach_km: Double
        public var bandwidth_rule: String
        public var bandwidth_km: Double
        public var bandwidth_method: String
        public var bandwidth_note: String?
        public var band_km: Double
        public var band_rule: String
        public var band_reason: String?
        public var band_distances_km: [Double]?
        public var band_z_scores: [Double]?
        public var emerging: Bool
        public var time_neighbours: Int
        public var permutations: Int
        public var seed: UInt64?
        public var corridor_km: Double
        public var skip_invalid: Bool
        public var all_cells: Bool
        /// `--threads` in force (outputs do not depend on it).
        public var threads: Int
    }

    public struct Interceptions: Codable, Sendable, Equatable {
        public var read: Int
        public var used: Int
        public var skipped: Int
        public var repaired: Int
        public var outside_window: Int
        public var outside_study_area: Int
    }

    public struct Inputs: Codable, Sendable {
        public var coastline: LayerCount
        public var borders: LayerCount
        public var posts: LayerCount
        public var routes: LayerCount
        public var interceptions: Interceptions
    }

    public struct Hotspots: Codable, Sendable {
        public var cells_written: Int
        public var hot_99: Int, hot_95: Int, hot_90: Int
        public var cold_99: Int, cold_95: Int, cold_90: Int
    }

    public struct RouteClasses: Codable, Sendable {
        public var very_high: Int, high: Int, elevated: Int, low: Int
    }

    /// MODEL §13: σ and how it was chosen, the options of §13, `route_share`.
    public struct ForecastBlock: Codable, Sendable {
        public var model: String
        public var jitter_km: Double
        public var jitter_rule: String
        public var jitter_mixing: Double?
        public var jitter_distances: Int
        public var attribution_distance_km: Double
        public var attribution_window_days: Double
        public var forecast_half_life_days: Double?
        public var background_bandwidth_km: Double
        public var background_half_life_days: Double?
        public var horizon_days: Double
        public var events: Int
        public var corridor_events: Int
        public var background_events: Int
        public var exposure_days: Double
        public var background_exposure_days: Double
        public var kappa: Double?
        public var route_share: Double?
        /// Σ_c forecast(c): expected events over the horizon in the whole study area.
        public var expected_events: Double
        public var note: String?

        init(_ f: Forecast) {
            let s = f.settings
            model = "routerisk-2"
            jitter_km = f.jitter.sigma / 1000
            jitter_rule = f.jitter.rule
            jitter_mixing = f.jitter.mixing
            jitter_distances = f.jitter.distances
            attribution_distance_km = s.attributionDistance / 1000
            attribution_window_days = s.attributionWindowDays
            forecast_half_life_days = s.halfLifeDays
            background_bandwidth_km = s.backgroundBandwidth / 1000
            background_half_life_days = s.backgroundHalfLifeDays
            horizon_days = s.horizonDays
            events = f.events
            corridor_events = f.corridorEvents
            background_events = f.backgroundEvents
            exposure_days = f.exposureDays
            background_exposure_days = f.backgroundExposureDays
            kappa = f.kappa
            route_share = f.routeShare
            expected_events = f.expected.reduce(0, +)
            note = f.note
        }
    }

    public var model: String
    public var options: Options
    public var inputs: Inputs
    public var n: Int
    public var A_km2: Double
    public var background_intensity_km2: Double
    public var average_route_rate_km2: Double?
    public var months: Int
    public var hotspots: Hotspots
    public var routes: RouteClasses
    /// Cells and routes per MODEL §8 category, when the emerging analysis ran.
    public var emerging_cells: [String: Int]?
    public var emerging_routes: [String: Int]?
    public var forecast: ForecastBlock?
    public var problems: [String]
    public var notes: [String]
    public var stages_s: [String: Double]
    /// `--share K` (docs/PRIVACY.md): K, and how many values the export withheld; nil without it.
    public var share_min_count: Int?
    public var suppressed: SuppressionCounts?
    /// What the run read and who ran it (`routerisk verify` re-hashes the inputs).
    public var provenance: Provenance?

    init(_ result: ScoreResult, cellsWritten: Int) {
        let o = result.options
        let use = result.interceptionUse
        let counts = result.scene.counts
        model = Self.modelName
        options = Options(
            crs: result.projection.origin == "auto" ? result.projection.definition : result.projection.projString,
            crs_origin: result.projection.origin == "auto" ? "auto" : "user: \(result.projection.definition)", crs_in: o.inputCRS,
            as_of: Timestamp.isoDateTime(result.asOf), window_days: o.windowDays,
            window_start: result.windowStart.map(Timestamp.isoDateTime), half_life_days: o.halfLifeDays,
            weight: o.weighting.rawValue, cell_km: o.cellSize / 1000, reach_km: o.reach / 1000,
            bandwidth_rule: o.bandwidthText, bandwidth_km: result.bandwidth.bandwidth / 1000,
            bandwidth_method: result.bandwidth.method, bandwidth_note: result.bandwidth.note,
            band_km: result.band / 1000,
            band_rule: result.bandChoice.map { "auto: \($0.rule)" } ?? (o.band == nil ? "default: 2 × cell" : "given"),
            band_reason: result.bandChoice?.reason, band_distances_km: result.bandChoice?.distances.map { $0 / 1000 },
            band_z_scores: result.bandChoice?.zScores, emerging: result.emergingRan, time_neighbours: o.timeNeighbours,
            permutations: o.permutations, seed: o.permutations > 0 ? o.seed : nil, corridor_km: o.corridor / 1000, skip_invalid: o.skipInvalid,
            all_cells: o.allCells, threads: o.resolvedThreads)
        inputs = Inputs(
            coastline: counts[.coastline] ?? LayerCount(), borders: counts[.borders] ?? LayerCount(),
            posts: counts[.posts] ?? LayerCount(), routes: counts[.routes] ?? LayerCount(),
            interceptions: Interceptions(
                read: use.read, used: use.used, skipped: use.skipped,
                repaired: counts[.interceptions]?.repaired ?? 0, outside_window: use.outsideWindow,
                outside_study_area: use.outsideStudyArea))
        n = result.studyArea.count
        A_km2 = result.studyArea.area / 1e6
        background_intensity_km2 = result.backgroundIntensityKm2
        let totalWeight = result.routes.reduce(0.0) { $0 + $1.weight }
        let totalArea = result.routes.reduce(0.0) { $0 + $1.corridorKm2 }
        average_route_rate_km2 = totalArea > 0 ? totalWeight / totalArea : nil
        months = result.months?.count ?? 0
        let bins = result.cells.map(\.giBin)
        hotspots = Hotspots(
            cells_written: cellsWritten,
            hot_99: bins.filter { $0 == 3 }.count, hot_95: bins.filter { $0 == 2 }.count,
            hot_90: bins.filter { $0 == 1 }.count, cold_99: bins.filter { $0 == -3 }.count,
            cold_95: bins.filter { $0 == -2 }.count, cold_90: bins.filter { $0 == -1 }.count)
        let classes = result.routes.map(\.riskClass)
        routes = RouteClasses(
            very_high: classes.filter { $0 == .veryHigh }.count, high: classes.filter { $0 == .high }.count,
            elevated: classes.filter { $0 == .elevated }.count, low: classes.filter { $0 == .low }.count)
        if result.emergingRan {
            var cells: [String: Int] = [:], routes: [String: Int] = [:]
            for c in result.cells { if let e = c.emerging { cells[e.rawValue, default: 0] += 1 } }
            for r in result.routes { if let e = r.emerging { routes[e.rawValue, default: 0] += 1 } }
            emerging_cells = cells
            emerging_routes = routes
        }
        forecast = result.forecast.map(ForecastBlock.init)
        problems = result.scene.problems.map(\.description)
        var notes = ["Gi* z and p are uncorrected; gi_bin applies Benjamini–Hochberg over the n cells."]
        if result.emergingRan {
            notes.append("Emerging categories of cells use Benjamini–Hochberg over the whole space–time cube; those of routes use a per-month Poisson test with no correction across routes.")
        } else if o.emerging {
            notes.append("Emerging hot spots need at least \(ScoreOptions.emergingMinimumMonths) monthly bins; this window has \(result.months?.count ?? 0).")
        }
        if result.routes.first?.risk == nil { notes.append("No event weight on any route: risk and rate_ratio are null; routes rank by id.") }
        if let note = result.forecast?.note { notes.append("Forecast (MODEL §13): " + note + ".") }
        if let share = o.share {
            // A problem line echoes record values (ids, dates): a shared export carries none.
            share_min_count = share.minimumCount
            if !problems.isEmpty {
                notes.append("\(problems.count) input problems are not listed in a shared export (--share); run routerisk validate on the scene.")
                problems = []
            }
        }
        self.notes = notes
        var stages: [String: Double] = [:]
        for (name, seconds) in result.stages { stages[name, default: 0] += seconds }
        stages_s = stages
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
