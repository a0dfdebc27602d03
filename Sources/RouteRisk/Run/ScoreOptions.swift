import Foundation

/// How each event is weighted (MODEL §3).
public enum EventWeighting: String, Sendable, CaseIterable {
    case events, persons
}

/// Output formats of `routerisk score` (MODEL §11); `postgis` writes tables into the database
/// of `--out PG:…`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case geojson, gpkg, postgis
}

/// The five layers of a scene (MODEL §1).
public enum LayerName: String, CaseIterable, Sendable, Codable {
    case coastline, borders, posts, routes, interceptions
}

/// Every option of a score run, resolved from defaults, `scene.toml` and the command line,
/// in that order of precedence (the command line wins).
public struct ScoreOptions: Sendable {
    /// Each layer's file or GDAL connection string (`PG:…|layername=schema.table`).
    public var layers: [LayerName: LayerSource] = [:]
    /// CRS of inputs that declare none (`--crs-in`); nil: lon/lat WGS84.
    public var inputCRS: String?
    /// `--crs`: "auto" or a projected CRS PROJ knows.
    public var crs: String = "auto"
    /// `--as-of`: seconds since 1970 UTC; nil: the latest valid interception.
    public var asOf: Double?
    /// `--window`: days; nil: all history.
    public var windowDays: Double?
    /// `--half-life`: days; nil: no decay.
    public var halfLifeDays: Double? = 365
    public var weighting: EventWeighting = .events
    /// `--cell`, metres between adjacent cell centres.
    public var cellSize: Double = 5000
    /// `--reach`, metres.
    public var reach: Double = 50000
    public var bandwidth: BandwidthMethod = .automatic
    /// `--band`, metres; nil: 2 × cell.
    public var band: Double?
    /// `--band auto`: the band of incremental spatial autocorrelation (ArcGIS's Optimized Hot Spot Analysis).
    public var bandAuto = false
    /// `--no-emerging` turns the emerging hot spots of MODEL §8 off; else they run when the
    /// monthly series has at least `emergingMinimumMonths` bins.
    public var emerging = true
    public static let emergingMinimumMonths = 6
    /// `--time-neighbours` (MODEL §8): bins t − k … t are neighbours of bin t.
    public var timeNeighbours = 1
    /// `--permutations`: conditional-randomisation replicates for `gi_p_sim` (0: analytical only).
    public var permutations = 0
    /// `--seed` of the permutations.
    public var seed: UInt64 = 20_261_129
    /// `--corridor`, metres (half-width b).
    public var corridor: Double = 2000
    public var skipInvalid = false
    public var allCells = false
    /// `--threads`: worker threads of the parallel stages (nil: every core). Outputs do not depend on it.
    public var threads: Int?
    /// The options of the route-aware forecast (MODEL §13) and `--forecast`.
    public var forecast = ForecastSettings()
    /// `--share K`: small-count suppression of every output that leaves the agency (docs/PRIVACY.md); nil: off.
    public var share: SmallCountSuppression?
    /// The time of the run, for "date after the time of the run" (MODEL §1).
    public var now: Double = Date().timeIntervalSince1970

    public init() {}

    public var effectiveBand: Double { band ?? 2 * cellSize }

    /// The thread count in force: `threads`, else every core.
    public var resolvedThreads: Int { threads ?? Swift.max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The option names that `set(_:to:)` and `scene.toml` understand.
    public static let optionNames: [String] = [
        "crs-in", "crs", "as-of", "window", "half-life", "weight", "cell", "reach", "bandwidth", "band",
        "corridor", "skip-invalid", "all-cells", "emerging", "time-neighbours", "permutations", "seed",
        "threads", "share",
    ] + ForecastSettings.optionNames

    /// Sets one option from its text form, as written after `--name` or in `scene.toml`.
    public mutating func set(_ name: String, to value: String) throws {
        switch name {
        case "crs-in": inputCRS = value
        case "crs": crs = value
        case "as-of":
            guard let t = Timestamp.parse(value) else {
                throw RunError.usage("--as-of: expected YYYY-MM-DD or an ISO 8601 date-time, found '\(value)'")
            }
            asOf = t
        case "window": windowDays = try Quantity.days(value, option: name, noneWords: ["all", "none"])
        case "half-life": halfLifeDays = try Quantity.days(value, option: name, noneWords: ["none"])
        case "weight":
            guard let w = EventWeighting(rawValue: value.lowercased()) else {
                throw RunError.usage("--weight: expected 'events' or 'persons', found '\(value)'")
            }
            weighting = w
        case "cell": cellSize = try Quantity.distance(value, option: name)
        case "reach": reach = try Quantity.distance(value, option: name)
        case "bandwidth":
            switch value.lowercased() {
            case "auto": bandwidth = .automatic
            case "silverman": bandwidth = .silverman
            default: bandwidth = .fixed(try Quantity.distance(value, option: name))
            }
        case "band":
            if value.lowercased() == "auto" { bandAuto = true; band = nil } else {
                bandAuto = false
                band = try Quantity.distance(value, option: name)
            }
        case "emerging": emerging = try Self.boolean(value, option: name)
        case "time-neighbours":
            guard let k = Int(value), k >= 0 else { throw RunError.usage("--time-neighbours: expected a whole number ≥ 0, found '\(value)'") }
            timeNeighbours = k
        case "permutations":
            guard let k = Int(value), k >= 0, k <= 99_999 else {
                throw RunError.usage("--permutations: expected a whole number from 0 to 99999 (e.g. 999), found '\(value)'")
            }
            permutations = k
        case "seed":
            guard let k = UInt64(value) else { throw RunError.usage("--seed: expected a whole number ≥ 0, found '\(value)'") }
            seed = k
        case "corridor": corridor = try Quantity.distance(value, option: name)
        case "skip-invalid": skipInvalid = try Self.boolean(value, option: name)
        case "all-cells": allCells = try Self.boolean(value, option: name)
        case "threads":
            guard let k = Int(value), k >= 1 else {
                throw RunError.usage("--threads: expected a whole number ≥ 1, found '\(value)'")
            }
            threads = k
        case "share": share = try SmallCountSuppression.parse(value)
        default:
            if try forecast.set(name, to: value) { return }
            throw RunError.usage("unknown option '\(name)' (known: \(Self.optionNames.joined(separator: ", ")))")
        }
    }

    static func boolean(_ value: String, option: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw RunError.usage("--\(option): expected true or false, found '\(value)'")
        }
    }

    /// The text description of the bandwidth rule, as `summary.json` records it.
    var bandwidthText: String {
        switch bandwidth {
        case .automatic: return "auto"
        case .silverman: return "silverman"
        case .fixed(let h): return "\(h / 1000)km"
        }
    }
}
