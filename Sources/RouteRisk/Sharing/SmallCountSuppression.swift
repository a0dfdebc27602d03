import Foundation

/// Small-count suppression for maps that leave the agency (`--share K`, docs/PRIVACY.md): a
/// cell, route or replay step with 1 ≤ events < K has its counts withheld (null) and its
/// intensity rounded to two significant digits, the rule national statistical offices apply to
/// small cells (Eurostat/ONS) and that the UNODC/IOM guidance asks of statistics on victims.
/// Cells with no event are unaffected; Gi*, risk and classes (aggregates) are kept.
public struct SmallCountSuppression: Sendable, Equatable {
    /// K: counts from 1 to K − 1 are withheld.
    public let minimumCount: Int

    /// The smallest K that protects anything: K = 1 would withhold nothing.
    public static let smallestMinimum = 2

    public init(minimumCount: Int) throws {
        guard minimumCount >= Self.smallestMinimum else {
            throw RunError.usage("--share: expected a whole number ≥ \(Self.smallestMinimum) (the smallest count shown), found '\(minimumCount)'")
        }
        self.minimumCount = minimumCount
    }

    /// Parses `--share K` / `share = K` in `scene.toml`.
    public static func parse(_ text: String) throws -> SmallCountSuppression {
        guard let k = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw RunError.usage("--share: expected a whole number ≥ \(smallestMinimum) (the smallest count shown), found '\(text)'")
        }
        return try SmallCountSuppression(minimumCount: k)
    }

    /// True for 1 ≤ count < K: the count is withheld.
    public func suppresses(_ count: Int) -> Bool { count >= 1 && count < minimumCount }

    /// "fewer than K interceptions", the words of a route explanation that replace a small count.
    public var fewerThanPhrase: String { "fewer than \(minimumCount) interceptions" }

    /// `value` rounded to `digits` significant digits (half away from zero); 0 and non-finite unchanged.
    public static func rounded(_ value: Double, significantDigits digits: Int = 2) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let exponent = Int(floor(log10(abs(value)))) - (digits - 1)
        // Scale by an exact power of ten on the side that keeps the quotient an integer-valued double.
        if exponent >= 0 {
            let scale = pow(10, Double(exponent))
            return (value / scale).rounded(.toNearestOrAwayFromZero) * scale
        }
        let scale = pow(10, Double(-exponent))
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }
}

/// How many values a shared export withheld (`summary.json` `suppressed`).
public struct SuppressionCounts: Codable, Sendable, Equatable {
    /// Cells, routes and replay steps (or replay cells, "elsewhere" counts) whose counts were withheld.
    public var cells = 0
    public var routes = 0
    public var replay_steps = 0
    public var replay_cells = 0
    public var replay_elsewhere = 0
    /// Every single value written as null or rounded.
    public var values = 0

    public init() {}
}
