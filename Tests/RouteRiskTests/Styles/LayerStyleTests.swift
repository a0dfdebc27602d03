import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import RouteRisk

/// The generated QML and SLD say what the style descriptions say; the expected classes are
/// written out here from ArcGIS's Hot Spot Analysis legend, not read from the styles.
final class LayerStyleTests: XCTestCase {
    private func hotspotStyles(emerging: Bool) -> [LayerStyle] {
        let fields: Set<String> = emerging ? ["gi_bin", "intensity_km2", "emerging"] : ["gi_bin", "intensity_km2"]
        return RouteRiskStyles.styles(forLayer: "hotspots", data: StyleData(fields: fields) { _ in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] })
    }

    private func xml(_ text: String) throws -> XMLDocument { try XMLDocument(xmlString: text, options: []) }

    func testGiBinDefaultStyleHasArcGISClassesWithoutOutlines() throws {
        let styles = hotspotStyles(emerging: false)
        XCTAssertEqual(styles.map(\.name), ["Gi_Bin (hot and cold spots)", "Intensity (events per km²)"])
        let doc = try xml(QMLDocument.qml(styles[0]))
        let renderer = try XCTUnwrap(try doc.nodes(forXPath: "/qgis/renderer-v2").first as? XMLElement)
        XCTAssertEqual(renderer.attribute(forName: "type")?.stringValue, "categorizedSymbol")
        XCTAssertEqual(renderer.attribute(forName: "attr")?.stringValue, "gi_bin")
        let categories = try doc.nodes(forXPath: "/qgis/renderer-v2/categories/category").compactMap { $0 as? XMLElement }
        XCTAssertEqual(categories.map { $0.attribute(forName: "value")?.stringValue }, ["-3", "-2", "-1", "0", "1", "2", "3"])
        // ArcGIS's Hot Spot Analysis colours (r,g,b): cold 99 % … hot 99 %; not significant is checked apart.
        let arcgis = ["69,117,181", "132,158,186", "192,204,190", nil, "250,185,132", "237,117,81", "214,47,39"]
        for (category, expected) in zip(categories, arcgis) {
            let symbol = category.attribute(forName: "symbol")!.stringValue!
            let colour = try doc.nodes(forXPath: "/qgis/renderer-v2/symbols/symbol[@name='\(symbol)']/layer/Option/Option[@name='color']/@value").first?.stringValue
            let outline = try doc.nodes(forXPath: "/qgis/renderer-v2/symbols/symbol[@name='\(symbol)']/layer/Option/Option[@name='outline_style']/@value").first?.stringValue
            XCTAssertEqual(outline, "no")
            if let expected {
                XCTAssertEqual(colour, expected + ",255")
            } else {
                let rgba = (colour ?? "").split(separator: ",").compactMap { Int($0) }
                XCTAssertEqual(rgba.count, 4)
                XCTAssertTrue(rgba[0] == rgba[1] && rgba[1] == rgba[2] && rgba[0] >= 200, "light grey: \(colour ?? "")")
            }
        }
        XCTAssertEqual(try doc.nodes(forXPath: "/qgis/layerGeometryType").first?.stringValue, "2")
    }

    /// Quantile breaks worked by hand: the positive values 1…10 in five classes of two.
    func testQuantileBreaks() {
        XCTAssertEqual(RouteRiskStyles.quantileBreaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), [2, 4, 6, 8, 10])
        // n = 3: ranks ⌈3k/5⌉ = 1, 2, 2, 3, 3 → the three values, each once.
        XCTAssertEqual(RouteRiskStyles.quantileBreaks([0.25, 0.5, 0.75]), [0.25, 0.5, 0.75])
        // Rounded up to 3 significant digits.
        XCTAssertEqual(RouteRiskStyles.quantileBreaks([0.061427]), [0.0615])
        XCTAssertEqual(RouteRiskStyles.roundedUp(1234.5, significantDigits: 3), 1240)
        XCTAssertEqual(RouteRiskStyles.quantileBreaks([0, 0]), [])
    }

    func testIntensityStyleIsGraduatedFromZero() throws {
        let doc = try xml(QMLDocument.qml(hotspotStyles(emerging: false)[1]))
        let ranges = try doc.nodes(forXPath: "/qgis/renderer-v2/ranges/range").compactMap { $0 as? XMLElement }
        XCTAssertEqual(ranges.map { $0.attribute(forName: "lower")!.stringValue! }, ["0", "2", "4", "6", "8"])
        XCTAssertEqual(ranges.map { $0.attribute(forName: "upper")!.stringValue! }, ["2", "4", "6", "8", "10"])
        XCTAssertEqual(try doc.nodes(forXPath: "/qgis/renderer-v2/@attr").first?.stringValue, "intensity_km2")
    }

    func testEmergingStyleOnlyWithTheField() throws {
        let styles = hotspotStyles(emerging: true)
        XCTAssertEqual(styles.count, 3)
        let doc = try xml(QMLDocument.qml(styles[2]))
        let values = try doc.nodes(forXPath: "/qgis/renderer-v2/categories/category/@value").map { $0.stringValue ?? "" }
        // ArcGIS Pro's legend order: the eight hot trends, the eight cold, then no pattern.
        XCTAssertEqual(values, [
            "new_hot_spot", "consecutive_hot_spot", "intensifying_hot_spot", "persistent_hot_spot", "diminishing_hot_spot",
            "sporadic_hot_spot", "oscillating_hot_spot", "historical_hot_spot", "new_cold_spot", "consecutive_cold_spot",
            "intensifying_cold_spot", "persistent_cold_spot", "diminishing_cold_spot", "sporadic_cold_spot",
            "oscillating_cold_spot", "historical_cold_spot", "no_pattern",
        ])
        XCTAssertEqual(Set(values), Set(EmergingCategory.allCases.map(\.rawValue)))
    }

    func testRoutesWidenWithClassAndLabelAtLargerScales() throws {
        let style = RouteRiskStyles.styles(forLayer: "routes", data: StyleData(fields: []) { _ in [] })[0]
        let doc = try xml(QMLDocument.qml(style))
        XCTAssertEqual(try doc.nodes(forXPath: "/qgis/renderer-v2/categories/category/@value").map { $0.stringValue ?? "" },
                       ["very_high", "high", "elevated", "low"])
        let widths = try doc.nodes(forXPath: "/qgis/renderer-v2/symbols/symbol/layer/Option/Option[@name='line_width']/@value")
            .compactMap { Double($0.stringValue ?? "") }
        XCTAssertEqual(widths.count, 4)
        XCTAssertEqual(widths, widths.sorted(by: >), "very_high widest")
        XCTAssertEqual(try doc.nodes(forXPath: "/qgis/labeling/settings/text-style/@fieldName").first?.stringValue, "id")
        XCTAssertEqual(try doc.nodes(forXPath: "/qgis/labeling/settings/rendering/@scaleVisibility").first?.stringValue, "1")
    }

    func testReplayStyleIsTemporalAndByKind() throws {
        let style = RouteRiskStyles.styles(forLayer: "replay", data: StyleData(fields: []) { _ in [1, 2, 3] })[0]
        let doc = try xml(QMLDocument.qml(style))
        let temporal = try XCTUnwrap(try doc.nodes(forXPath: "/qgis/temporal").first as? XMLElement)
        XCTAssertEqual(temporal.attribute(forName: "enabled")?.stringValue, "1")
        XCTAssertEqual(temporal.attribute(forName: "mode")?.stringValue, "2", "start and end from fields")
        XCTAssertEqual(temporal.attribute(forName: "startField")?.stringValue, "start")
        XCTAssertEqual(temporal.attribute(forName: "endField")?.stringValue, "end")
        let filters = try doc.nodes(forXPath: "/qgis/renderer-v2/rules/rule/@filter").map { $0.stringValue ?? "" }
        XCTAssertEqual(filters, ["\"kind\" = 'predicted_cell'", "(\"kind\" = 'test_event') AND (\"hit\" = 1)", "(\"kind\" = 'test_event') AND (\"hit\" = 0)"])
    }

    /// The SLD is well-formed and has one rule per class, with OGC filters on the same attribute.
    func testSLDHasOneRulePerClass() throws {
        let sld = SLDDocument.sld(hotspotStyles(emerging: false)[0], layerName: "hotspots")
        let doc = try xml(sld)
        let rules = try doc.nodes(forXPath: "//*[local-name()='Rule']")
        XCTAssertEqual(rules.count, 7)
        let literals = try doc.nodes(forXPath: "//*[local-name()='PropertyIsEqualTo']/*[local-name()='Literal']").map { $0.stringValue ?? "" }
        XCTAssertEqual(literals, ["-3", "-2", "-1", "0", "1", "2", "3"])
        let fills = try doc.nodes(forXPath: "//*[local-name()='SvgParameter'][@name='fill']").map { $0.stringValue ?? "" }
        XCTAssertEqual(fills.first, "#4575b5")
        XCTAssertEqual(fills.last, "#d62f27")
    }

    func testXMLEscaping() throws {
        var style = hotspotStyles(emerging: false)[0]
        style.name = "a<b & \"c\""
        XCTAssertNoThrow(try xml(SLDDocument.sld(style, layerName: "x'y")))
        XCTAssertEqual(QMLDocument.expression(.equals("k", .text("it's"))), "\"k\" = 'it''s'")
    }
}
