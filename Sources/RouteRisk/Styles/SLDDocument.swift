import Foundation

/// The same style as OGC Styled Layer Descriptor 1.1 (Symbology Encoding `se:`, filters `ogc:`),
/// the form QGIS writes into `layer_styles.styleSLD` and GeoServer reads. One `se:Rule` per
/// class; labels become an `se:TextSymbolizer` with the same scale limit.
public enum SLDDocument {
    public static func sld(_ style: LayerStyle, layerName: String) -> String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:se=\"http://www.opengis.net/se\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">",
            "  <NamedLayer>",
            "    <se:Name>\(x(layerName))</se:Name>",
            "    <UserStyle>",
            "      <se:Name>\(x(style.name))</se:Name>",
            "      <se:FeatureTypeStyle>",
        ]
        var rules: [(label: String, filter: StyleFilter?, symbol: StyleSymbol)] = []
        switch style.renderer {
        case let .categorized(attribute, categories):
            rules = categories.map { ($0.label, .equals(attribute, $0.value), $0.symbol) }
        case let .graduated(attribute, ranges):
            rules = ranges.enumerated().map { i, r in
                (r.label, .range(attribute, lower: r.lower, upper: r.upper, includeLower: i == 0), r.symbol)
            }
        case let .rules(styleRules):
            // Nested rules flatten into one rule each, their filters joined with AND.
            func flatten(_ rule: StyleRule, parent: [StyleFilter]) {
                let filters = parent + [rule.filter]
                if let symbol = rule.symbol { rules.append((rule.label, .and(filters), symbol)) }
                for child in rule.children { flatten(child, parent: filters) }
            }
            styleRules.forEach { flatten($0, parent: []) }
        }
        for rule in rules {
            lines.append("        <se:Rule>")
            lines.append("          <se:Name>\(x(rule.label))</se:Name>")
            lines.append("          <se:Description><se:Title>\(x(rule.label))</se:Title></se:Description>")
            if let filter = rule.filter {
                lines.append("          <ogc:Filter>\(ogc(filter))</ogc:Filter>")
            }
            lines += symbolizer(rule.symbol).map { "          " + $0 }
            lines.append("        </se:Rule>")
        }
        if let l = style.labels {
            lines.append("        <se:Rule>")
            lines.append("          <se:MaxScaleDenominator>\(QMLDocument.number(l.maxScaleDenominator))</se:MaxScaleDenominator>")
            lines.append("          <se:TextSymbolizer>")
            lines.append("            <se:Label><ogc:PropertyName>\(x(l.field))</ogc:PropertyName></se:Label>")
            lines.append("            <se:Font><se:SvgParameter name=\"font-size\">\(QMLDocument.number(l.fontSize * 96 / 72))</se:SvgParameter></se:Font>")
            lines.append("            <se:Fill><se:SvgParameter name=\"fill\">\(l.color.hex)</se:SvgParameter></se:Fill>")
            lines.append("          </se:TextSymbolizer>")
            lines.append("        </se:Rule>")
        }
        lines += ["      </se:FeatureTypeStyle>", "    </UserStyle>", "  </NamedLayer>", "</StyledLayerDescriptor>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Sizes in SLD are pixels at 0.28 mm (OGC's standard rendering pixel).
    private static func px(_ mm: Double) -> String { QMLDocument.number((mm / 0.28 * 100).rounded() / 100) }

    private static func fill(_ c: StyleColor) -> String {
        "<se:Fill><se:SvgParameter name=\"fill\">\(c.hex)</se:SvgParameter>"
            + (c.alpha < 1 ? "<se:SvgParameter name=\"fill-opacity\">\(QMLDocument.number(c.alpha))</se:SvgParameter>" : "") + "</se:Fill>"
    }

    private static func stroke(_ c: StyleColor, width: Double) -> String {
        "<se:Stroke><se:SvgParameter name=\"stroke\">\(c.hex)</se:SvgParameter><se:SvgParameter name=\"stroke-width\">\(px(width))</se:SvgParameter>"
            + (c.alpha < 1 ? "<se:SvgParameter name=\"stroke-opacity\">\(QMLDocument.number(c.alpha))</se:SvgParameter>" : "") + "</se:Stroke>"
    }

    private static func symbolizer(_ s: StyleSymbol) -> [String] {
        switch s.kind {
        case .fill:
            return ["<se:PolygonSymbolizer>\(fill(s.color))\(s.outline.map { stroke($0, width: s.size) } ?? "")</se:PolygonSymbolizer>"]
        case .line:
            return ["<se:LineSymbolizer>\(stroke(s.color, width: s.size))</se:LineSymbolizer>"]
        case .marker:
            return ["<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>\(fill(s.color))\(s.outline.map { stroke($0, width: 0.2) } ?? "")</se:Mark><se:Size>\(px(s.size))</se:Size></se:Graphic></se:PointSymbolizer>"]
        }
    }

    static func ogc(_ f: StyleFilter) -> String {
        switch f {
        case let .equals(field, value):
            return "<ogc:PropertyIsEqualTo><ogc:PropertyName>\(x(field))</ogc:PropertyName><ogc:Literal>\(x(value.description))</ogc:Literal></ogc:PropertyIsEqualTo>"
        case let .range(field, lower, upper, includeLower):
            let low = includeLower ? "PropertyIsGreaterThanOrEqualTo" : "PropertyIsGreaterThan"
            return "<ogc:And><ogc:\(low)><ogc:PropertyName>\(x(field))</ogc:PropertyName><ogc:Literal>\(QMLDocument.number(lower))</ogc:Literal></ogc:\(low)>"
                + "<ogc:PropertyIsLessThanOrEqualTo><ogc:PropertyName>\(x(field))</ogc:PropertyName><ogc:Literal>\(QMLDocument.number(upper))</ogc:Literal></ogc:PropertyIsLessThanOrEqualTo></ogc:And>"
        case let .and(parts):
            let flat = parts.flatMap { part -> [StyleFilter] in if case let .and(inner) = part { return inner } else { return [part] } }
            return flat.count == 1 ? ogc(flat[0]) : "<ogc:And>" + flat.map(ogc).joined() + "</ogc:And>"
        }
    }

    private static func x(_ s: String) -> String { QMLDocument.xml(s) }
}
