import Foundation

/// Parsing of the option values shared by the command line and `scene.toml`.
public enum Quantity {
    /// A distance in metres from "5km", "500m" or a bare number of kilometres ("5").
    public static func distance(_ text: String, option: String) throws -> Double {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = s
        var scale = 1000.0
        if s.hasSuffix("km") {
            number = String(s.dropLast(2))
        } else if s.hasSuffix("m") {
            number = String(s.dropLast(1))
            scale = 1
        }
        guard let v = Double(number.trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 else {
            throw RunError.usage("--\(option): expected a positive distance such as 5km or 500m, found '\(text)'")
        }
        return v * scale
    }

    /// A duration in days from "365d" or a bare number of days; "none"/"all" give nil when allowed.
    public static func days(_ text: String, option: String, noneWords: Set<String> = []) throws -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if noneWords.contains(s) { return nil }
        let number = s.hasSuffix("d") ? String(s.dropLast()) : s
        guard let v = Double(number), v.isFinite, v > 0 else {
            let alternatives = noneWords.sorted().map { "'\($0)'" }.joined(separator: " or ")
            throw RunError.usage(
                "--\(option): expected a positive number of days such as 365d\(alternatives.isEmpty ? "" : " or \(alternatives)"), found '\(text)'")
        }
        return v
    }

    /// "12.5 km" style text for explanations: one decimal below 10, else none.
    static func kilometresText(_ metres: Double) -> String {
        let km = metres / 1000
        return km < 10 ? String(format: "%.1f km", km) : String(format: "%.0f km", km)
    }
}
