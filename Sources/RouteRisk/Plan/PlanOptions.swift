import Foundation

/// Which forecast is the plan's demand (MODEL §14): §13's (routerisk-2, expected events over
/// the horizon) or §5's λ(c_j)·a (kde, a relative weight).
public typealias PlanForecast = ForecastMethod

/// The options of `routerisk plan` beyond those of `score` (MODEL §14).
public struct PlanOptions: Sendable {
    /// `--teams` (K).
    public var teams = 5
    /// `--radius` ρ, metres.
    public var radius = 15_000.0
    /// `--post-radius` ρ₀, metres (0: posts cover nothing).
    public var postRadius = 0.0
    /// `--sites FILE`: an OGR point layer; nil: the centres of the study-area cells.
    public var sitesFile: URL?
    public var solver: PlanSolver = .auto
    /// `--time-limit`, seconds.
    public var timeLimit = 60.0
    /// `--forecast` (MODEL §14's default: routerisk-2); `PlanRun` takes it from `ScoreOptions.forecast`.
    public var forecast: PlanForecast = .routerisk2
    /// `--horizon`, days; `PlanRun` takes it from `ScoreOptions.forecast`.
    public var horizonDays = 30.0

    public init() {}

    /// Checks the ranges of the options (exit 64 on a bad value).
    public func validate() throws {
        guard teams >= 1 else { throw RunError.usage("--teams: expected a whole number ≥ 1, found \(teams)") }
        guard radius > 0, radius.isFinite else { throw RunError.usage("--radius: expected a distance > 0") }
        guard postRadius >= 0, postRadius.isFinite else { throw RunError.usage("--post-radius: expected a distance ≥ 0") }
        guard timeLimit > 0, timeLimit <= 86_400 * 7 else {
            throw RunError.usage("--time-limit: expected a duration > 0 and at most 7 days, such as 60s or 5min")
        }
        guard horizonDays > 0, horizonDays.isFinite else { throw RunError.usage("--horizon: expected a number of days > 0") }
    }

    /// A distance that may be 0 (`--post-radius 0km`): "0", "0m", "0km", else `Quantity.distance`.
    public static func distanceOrZero(_ text: String, option: String) throws -> Double {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        let number = s.hasSuffix("km") ? String(s.dropLast(2)) : s.hasSuffix("m") ? String(s.dropLast()) : s
        if let v = Double(number.trimmingCharacters(in: .whitespaces)), v == 0 { return 0 }
        return try Quantity.distance(text, option: option)
    }

    /// Parses `60s`, `1.5s`, `5min`, `1h` or a bare number of seconds.
    public static func seconds(_ text: String, option: String) throws -> Double {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("min", 60), ("ms", 0.001), ("h", 3600), ("s", 1)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            if let v = Double(s.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 { return v * factor }
            break
        }
        if let v = Double(s), v.isFinite, v > 0 { return v }
        throw RunError.usage("--\(option): expected a duration such as 60s, 1.5s or 5min, found '\(text)'")
    }
}

/// The plan's demand per study-area cell: the one seam between the forecast and the plan.
enum PlanDemand {
    /// d_j for every study-area cell, in (q, r) order, as of the fit's as_of. `routerisk-2`:
    /// §13's forecast over the horizon (`Forecast.expected`, expected events); `kde`: λ(c_j)·a
    /// (weighted events, the horizon does not scale it).
    static func perCell(prepared: PreparedScene, fit: ModelFit, options: ScoreOptions, forecast: PlanForecast) throws -> [Double] {
        switch forecast {
        case .kde:
            return fit.intensity.map { $0 * prepared.studyArea.grid.cellArea }
        case .routerisk2:
            return try routeAwareForecast(prepared: prepared, asOf: fit.selection.asOf, options: options).expected
        }
    }
}
