import Foundation

/// `--jitter` (MODEL §13.1): fitted from the data, or a given σ in metres.
public enum JitterChoice: Sendable, Equatable {
    case automatic
    case fixed(Double)
}

/// Which map ranks the cells in a replay and feeds a plan (MODEL §10, §13, §14).
public enum ForecastMethod: String, Sendable, CaseIterable {
    /// §13's route-aware forecast λ(c).
    case routerisk2 = "routerisk-2"
    /// §5's kernel density (routerisk-1).
    case kde
}

/// The options of MODEL §13 (defaults as there), set through `ScoreOptions.set`.
public struct ForecastSettings: Sendable, Equatable {
    public var jitter: JitterChoice = .automatic
    /// `--attribution-distance` b_att, metres.
    public var attributionDistance: Double = 3000
    /// `--attribution-window`, days.
    public var attributionWindowDays: Double = 180
    /// `--forecast-half-life` H, days; nil: no decay.
    public var halfLifeDays: Double? = 90
    /// `--background-bandwidth`, metres.
    public var backgroundBandwidth: Double = 5000
    /// `--background-half-life` H_bg, days; nil: no decay.
    public var backgroundHalfLifeDays: Double? = 730
    /// `--horizon` Δ, days.
    public var horizonDays: Double = 30
    /// `--forecast`: what a replay ranks by.
    public var method: ForecastMethod = .routerisk2

    public init() {}

    /// B of §13.1: distances above it are not used to fit σ.
    public static let jitterCutoff = 10_000.0
    /// σ when fewer than `minimumJitterDistances` distances are ≤ B.
    public static let fallbackJitter = 1500.0
    public static let minimumJitterDistances = 10

    static let optionNames = [
        "jitter", "attribution-distance", "attribution-window", "forecast-half-life", "background-bandwidth",
        "background-half-life", "horizon", "forecast",
    ]

    /// Sets one §13 option from its text form; false when `name` is not one of them.
    mutating func set(_ name: String, to value: String) throws -> Bool {
        switch name {
        case "jitter":
            if value.trimmingCharacters(in: .whitespaces).lowercased() == "auto" { jitter = .automatic } else {
                guard let d = try? Quantity.distance(value, option: name) else {
                    throw RunError.usage("--jitter: expected auto or a positive distance such as 1.5km or 800m, found '\(value)'")
                }
                jitter = .fixed(d)
            }
        case "attribution-distance": attributionDistance = try Quantity.distance(value, option: name)
        case "attribution-window": attributionWindowDays = try Quantity.days(value, option: name)!
        case "forecast-half-life": halfLifeDays = try Quantity.days(value, option: name, noneWords: ["none"])
        case "background-bandwidth": backgroundBandwidth = try Quantity.distance(value, option: name)
        case "background-half-life": backgroundHalfLifeDays = try Quantity.days(value, option: name, noneWords: ["none"])
        case "horizon": horizonDays = try Quantity.days(value, option: name)!
        case "forecast":
            guard let m = ForecastMethod(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw RunError.usage("--forecast: expected routerisk-2 or kde, found '\(value)'")
            }
            method = m
        default: return false
        }
        return true
    }

    /// 2^(−age/H), or 1 without decay.
    @inline(__always)
    static func decay(ageDays: Double, halfLife: Double?) -> Double {
        halfLife.map { pow(2, -ageDays / $0) } ?? 1
    }

    /// `D(H) = (H/ln 2)·(1 − 2^(−span/H))` days, the decayed exposure; `D(none) = span` (MODEL §13).
    public static func exposure(spanDays: Double, halfLife: Double?) -> Double {
        guard spanDays > 0 else { return 0 }
        guard let h = halfLife else { return spanDays }
        return h / M_LN2 * (1 - pow(2, -spanDays / h))
    }
}
