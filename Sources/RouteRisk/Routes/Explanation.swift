import Foundation

/// The one-sentence explanation of a route score that a patrol planner reads (MODEL §9).
enum Explanation {
    struct Facts {
        var events: Int
        var persons: Int
        var corridorKm: Double
        var period: String
        var rateRatio: Double?
        var risk: Double?
        var riskClass: RiskClass
        var crossings: Int
        var landings: Int
        var evasionKm: Double?
        var evasionIsCrossing: Bool
        var nearestPost: String?
        var trend: Trend
        var trendP: Double?
        var emerging: EmergingCategory? = nil
        /// `--share K` and whether this route's counts are withheld: a count from 1 to K − 1 is
        /// said as "fewer than K interceptions", a larger one withheld as a complement as "a
        /// withheld number of interceptions" (no persons, no ratio either way).
        var share: SmallCountSuppression? = nil
        var withheld = false
    }

    static func sentence(_ f: Facts) -> String {
        var parts: [String] = []
        let noun = f.events == 1 ? "interception" : "interceptions"
        let persons = "\(f.persons) \(f.persons == 1 ? "person" : "persons")"
        var head = "\(f.events) \(noun) (\(persons)) within \(number(f.corridorKm)) km \(f.period)"
        let className = spaced(f.riskClass.rawValue)
        if let share = f.share, f.withheld {
            // The ratio is weight / expected: it would give the withheld weight back.
            let count = share.suppresses(f.events) ? share.fewerThanPhrase : "a withheld number of interceptions"
            head = "\(count) within \(number(f.corridorKm)) km \(f.period)"
            if let risk = f.risk { head += " (risk \(ratio1(risk)), \(className))" }
        } else if let ratio = f.rateRatio, let risk = f.risk {
            head += ", \(ratio1(ratio))× the average route (risk \(ratio1(risk)), \(className))"
        }
        parts.append(head)
        if let km = f.evasionKm, let post = f.nearestPost {
            let verb = f.evasionIsCrossing ? "crosses the border" : "reaches the coast"
            let postKind = f.evasionIsCrossing ? "land post" : "seaport"
            parts.append("\(verb) \(number(km)) km from the nearest \(postKind) (\(post))")
        } else if f.crossings > 0 || f.landings > 0 {
            parts.append(f.crossings > 0 ? "crosses the border (no land post in the scene)" : "reaches the coast (no seaport in the scene)")
        } else {
            parts.append("does not cross a border or reach a coast of the scene")
        }
        switch (f.trend, f.trendP) {
        case (_, nil): parts.append("too few months for a trend")
        case (.rising, let p?): parts.append("rising (\(pText(p)))")
        case (.falling, let p?): parts.append("falling (\(pText(p)))")
        case (.none, let p?): parts.append("no clear trend (\(pText(p)))")
        }
        if let e = f.emerging, e != .noPattern {
            parts.append("month by month: " + spaced(e.rawValue))
        }
        return parts.joined(separator: "; ")
    }

    /// "in the last 12 months", "in the last 90 days", or "since 2020-01" for all history.
    static func period(windowDays: Double?, firstMonth: Int?) -> String {
        guard let w = windowDays else {
            guard let m = firstMonth else { return "in the history" }
            return "since " + String(Timestamp.isoDate(Timestamp.monthStart(m)).prefix(7))
        }
        if w.truncatingRemainder(dividingBy: 365) == 0 {
            let years = Int(w / 365)
            return years == 1 ? "in the last 12 months" : "in the last \(years) years"
        }
        return "in the last \(number(w)) days"
    }

    /// "about 6 interceptions expected in the next 30 days" (MODEL §13 `expected_next`).
    static func forecastText(_ expected: Double, horizonDays: Double) -> String {
        let count: String
        if expected >= 0.95 { count = cFormat("%.0f", expected) }
        else if expected >= 0.05 { count = cFormat("%.1f", expected) }
        else { count = expected > 0 ? "fewer than 0.1" : "0" }
        let noun = count == "1" ? "interception" : "interceptions"
        return "about \(count) \(noun) expected in the next \(number(horizonDays)) days"
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded() { return cFormat("%.0f", v) }
        return v < 10 ? cFormat("%.1f", v) : cFormat("%.0f", v)
    }

    /// "rising_fast" → "rising fast".
    static func spaced(_ name: String) -> String { String(name.map { $0 == "_" ? " " : $0 }) }

    static func ratio1(_ v: Double) -> String { cFormat("%.1f", v) }

    static func pText(_ p: Double) -> String {
        p < 0.001 ? "p < 0.001" : cFormat("p = %.2g", p)
    }
}
