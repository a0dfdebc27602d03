import Foundation

/// What a style may look at in the layer it styles: which fields it has, and the values of a
/// numeric field (for the class breaks of a graduated style).
public struct StyleData {
    public let fields: Set<String>
    public let numbers: (String) -> [Double]

    public init(fields: Set<String>, numbers: @escaping (String) -> [Double]) {
        self.fields = fields
        self.numbers = numbers
    }
}

/// The styles of routerisk's output layers, the default style first. Adding a layer's styles is
/// one entry in `catalogue` and one function returning its `LayerStyle`s.
public enum RouteRiskStyles {
    static let catalogue: [String: (StyleData) -> [LayerStyle]] = [
        "hotspots": hotspots,
        "routes": routes,
        "replay": replay,
    ]

    /// The styles of the layer `name` (`routes`, `hotspots`, `replay`), the default first; none
    /// for a layer without styles.
    public static func styles(forLayer name: String, data: StyleData) -> [LayerStyle] {
        catalogue[name]?(data) ?? []
    }

    // MARK: Hot spots (MODEL §6, §8)

    /// ArcGIS's Hot Spot Analysis rendering for Gi_Bin (the ArcMap/Pro layer file's colours):
    /// cold 99 / 95 / 90 % blues, hot 90 / 95 / 99 % reds; "not significant" light grey, mostly
    /// transparent so the base map shows. No outlines: hexagons of a few km at national zoom.
    public static let giBinClasses: [(bin: Int64, label: String, color: StyleColor)] = [
        (-3, "Cold Spot - 99% Confidence", StyleColor(hex: "#4575B5")),
        (-2, "Cold Spot - 95% Confidence", StyleColor(hex: "#849EBA")),
        (-1, "Cold Spot - 90% Confidence", StyleColor(hex: "#C0CCBE")),
        (0, "Not Significant", StyleColor(hex: "#D9D9D9", alpha: 0.35)),
        (1, "Hot Spot - 90% Confidence", StyleColor(hex: "#FAB984")),
        (2, "Hot Spot - 95% Confidence", StyleColor(hex: "#ED7551")),
        (3, "Hot Spot - 99% Confidence", StyleColor(hex: "#D62F27")),
    ]

    /// The 17 emerging categories in ArcGIS's legend order (hot, then cold, then no pattern),
    /// hot in reds and oranges, cold in the mirrored blues, no pattern light grey.
    public static let emergingClasses: [(category: EmergingCategory, label: String, color: StyleColor)] = [
        (.newHotSpot, "New Hot Spot", StyleColor(hex: "#A50026")),
        (.consecutiveHotSpot, "Consecutive Hot Spot", StyleColor(hex: "#D73027")),
        (.intensifyingHotSpot, "Intensifying Hot Spot", StyleColor(hex: "#F46D43")),
        (.persistentHotSpot, "Persistent Hot Spot", StyleColor(hex: "#FDAE61")),
        (.diminishingHotSpot, "Diminishing Hot Spot", StyleColor(hex: "#FEE090")),
        (.sporadicHotSpot, "Sporadic Hot Spot", StyleColor(hex: "#F1B6DA")),
        (.oscillatingHotSpot, "Oscillating Hot Spot", StyleColor(hex: "#C51B7D")),
        (.historicalHotSpot, "Historical Hot Spot", StyleColor(hex: "#8C510A")),
        (.newColdSpot, "New Cold Spot", StyleColor(hex: "#313695")),
        (.consecutiveColdSpot, "Consecutive Cold Spot", StyleColor(hex: "#4575B4")),
        (.intensifyingColdSpot, "Intensifying Cold Spot", StyleColor(hex: "#74ADD1")),
        (.persistentColdSpot, "Persistent Cold Spot", StyleColor(hex: "#ABD9E9")),
        (.diminishingColdSpot, "Diminishing Cold Spot", StyleColor(hex: "#E0F3F8")),
        (.sporadicColdSpot, "Sporadic Cold Spot", StyleColor(hex: "#B8E186")),
        (.oscillatingColdSpot, "Oscillating Cold Spot", StyleColor(hex: "#4D9221")),
        (.historicalColdSpot, "Historical Cold Spot", StyleColor(hex: "#01665E")),
        (.noPattern, "No Pattern Detected", StyleColor(hex: "#D9D9D9", alpha: 0.35)),
    ]

    /// ColorBrewer's sequential YlOrRd, 5 classes.
    public static let sequentialRamp = ["#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026"].map { StyleColor(hex: $0) }

    static func hotspots(_ data: StyleData) -> [LayerStyle] {
        var styles = [
            LayerStyle(
                name: "Gi_Bin (hot and cold spots)", description: "Getis-Ord Gi* confidence bins, ArcGIS's colours",
                geometry: .polygon,
                renderer: .categorized(attribute: "gi_bin", categories: giBinClasses.map {
                    StyleCategory(value: .integer($0.bin), label: $0.label, symbol: .fill($0.color))
                })),
            LayerStyle(
                name: "Intensity (events per km²)", description: "Kernel intensity, 5 quantile classes of the cells with intensity > 0",
                geometry: .polygon,
                renderer: .graduated(attribute: "intensity_km2", ranges: quantileRanges(data.numbers("intensity_km2"), symbol: { .fill($0) }))),
        ]
        if data.fields.contains("emerging") {
            styles.append(LayerStyle(
                name: "Emerging hot spots", description: "The 17 emerging hot-spot categories in ArcGIS's order",
                geometry: .polygon,
                renderer: .categorized(attribute: "emerging", categories: emergingClasses.map {
                    StyleCategory(value: .text($0.category.rawValue), label: $0.label, symbol: .fill($0.color))
                })))
        }
        return styles
    }

    // MARK: Routes (MODEL §9)

    /// Route classes from the highest, each drawn wider than the one below it.
    public static let routeClasses: [(riskClass: RiskClass, label: String, color: StyleColor, width: Double)] = [
        (.veryHigh, "Very high", StyleColor(hex: "#A50F15"), 2.0),
        (.high, "High", StyleColor(hex: "#DE2D26"), 1.3),
        (.elevated, "Elevated", StyleColor(hex: "#FB6A4A"), 0.8),
        (.low, "Low", StyleColor(hex: "#969696"), 0.4),
    ]

    /// Route ids are labelled from 1:1,500,000 inwards (a province; not at national zoom).
    public static let routeLabelScale = 1_500_000.0

    static func routes(_ data: StyleData) -> [LayerStyle] {
        [LayerStyle(
            name: "Risk class", description: "Routes by risk class, wider for higher classes, labelled with their id",
            geometry: .line,
            renderer: .categorized(attribute: "class", categories: routeClasses.map {
                StyleCategory(value: .text($0.riskClass.rawValue), label: $0.label, symbol: .line($0.color, width: $0.width))
            }),
            labels: StyleLabels(field: "id", maxScaleDenominator: routeLabelScale, fontSize: 9, color: StyleColor(hex: "#202020")))]
    }

    // MARK: Replay (MODEL §10)

    static func replay(_ data: StyleData) -> [LayerStyle] {
        let cells = quantileRanges(data.numbers("intensity_km2"), symbol: { .fill(StyleColor(red: $0, alpha: 0.75)) })
        let cellRules = cells.enumerated().map { i, r in
            StyleRule(label: r.label, filter: .range("intensity_km2", lower: r.lower, upper: r.upper, includeLower: i == 0), symbol: r.symbol)
        }
        return [LayerStyle(
            name: "Replay by kind", description: "Predicted cells by intensity, test events hit or missed; plays in the Temporal Controller",
            geometry: .mixed,
            renderer: .rules([
                StyleRule(label: "Predicted cell", filter: .equals("kind", .text("predicted_cell")), children: cellRules),
                StyleRule(label: "Test event, hit", filter: .and([.equals("kind", .text("test_event")), .equals("hit", .integer(1))]),
                          symbol: .marker(StyleColor(hex: "#1B7837"), diameter: 2.4)),
                StyleRule(label: "Test event, missed", filter: .and([.equals("kind", .text("test_event")), .equals("hit", .integer(0))]),
                          symbol: .marker(StyleColor(hex: "#762A83"), diameter: 2.4)),
            ]),
            temporal: StyleTemporal(startField: "start", endField: "end"))]
    }

    // MARK: Class breaks

    /// Five equal-count (quantile) classes of the values > 0, on the sequential ramp; the first
    /// class starts at 0 so that cells of zero intensity are drawn too. Class k's upper bound is
    /// the value at rank ⌈k·n/5⌉ of the sorted positive values, rounded up to 3 significant
    /// digits (a legend an analyst reads; and a value stored with fewer digits, as GDAL's PG
    /// driver does, still falls in its class); equal bounds merge.
    public static func quantileBreaks(_ values: [Double], classes: Int = 5) -> [Double] {
        let positive = values.filter { $0 > 0 && $0.isFinite }.sorted()
        guard !positive.isEmpty else { return [] }
        var breaks: [Double] = []
        for k in 1...classes {
            let rank = Int((Double(k * positive.count) / Double(classes)).rounded(.up))
            let b = roundedUp(positive[max(rank, 1) - 1], significantDigits: 3)
            if breaks.last != b { breaks.append(b) }
        }
        return breaks
    }

    /// The smallest number of `significantDigits` digits ≥ v (v > 0), e.g. 0.061427 → 0.0615.
    static func roundedUp(_ v: Double, significantDigits: Int) -> Double {
        let exponent = Int(floor(log10(v))) - significantDigits + 1
        // Scale by an exact power of ten (a positive exponent multiplies, a negative one divides)
        // so that 2 stays 2 and 0.5 stays 0.5.
        let scale = pow(10.0, Double(abs(exponent)))
        let scaled = exponent >= 0 ? v / scale : v * scale
        let up = scaled.rounded(.up)
        let result = exponent >= 0 ? up * scale : up / scale
        return result >= v ? result : result.nextUp
    }

    static func quantileRanges(_ values: [Double], symbol: (StyleColor) -> StyleSymbol) -> [StyleRange] {
        let breaks = quantileBreaks(values)
        guard !breaks.isEmpty else {
            return [StyleRange(lower: 0, upper: 0, label: "0", symbol: symbol(sequentialRamp[0]))]
        }
        var lower = 0.0
        return breaks.enumerated().map { i, upper in
            // Colours spread over the whole ramp when fewer than five classes remain.
            let colour = sequentialRamp[breaks.count == 1 ? 4 : i * 4 / (breaks.count - 1)]
            defer { lower = upper }
            return StyleRange(lower: lower, upper: upper, label: "\(label(lower)) – \(label(upper))", symbol: symbol(colour))
        }
    }

    static func label(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.3g", v) }
}

extension StyleColor {
    /// The same colour with another opacity.
    init(red c: StyleColor, alpha: Double) { self.init(c.red, c.green, c.blue, alpha: alpha) }
}
