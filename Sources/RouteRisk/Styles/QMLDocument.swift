import Foundation

/// QGIS's layer-style file (QML, as `QgsMapLayer::exportNamedStyle` writes it in QGIS 3.x): the
/// renderer (`renderer-v2`), labelling and temporal properties of a `LayerStyle`. Only what the
/// style sets is written; QGIS fills in its defaults for the rest.
public enum QMLDocument {
    public static func qml(_ style: LayerStyle) -> String {
        var lines = ["<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"]
        let categories = "Symbology|Labeling" + (style.temporal != nil ? "|Temporal" : "")
        lines.append("<qgis version=\"3.22.0\" styleCategories=\"\(categories)\" labelsEnabled=\"\(style.labels != nil ? 1 : 0)\">")
        if let t = style.temporal {
            // mode 2: QgsVectorLayerTemporalProperties::ModeFeatureDateTimeStartAndEndFromFields.
            lines.append("  <temporal enabled=\"1\" mode=\"2\" startField=\"\(xml(t.startField))\" endField=\"\(xml(t.endField))\" accumulate=\"0\" limitMode=\"0\" durationUnit=\"min\" durationField=\"\" fixedDuration=\"0\" startExpression=\"\" endExpression=\"\"/>")
        }
        var symbols: [StyleSymbol] = []
        func symbolIndex(_ s: StyleSymbol) -> Int {
            symbols.append(s)
            return symbols.count - 1
        }
        switch style.renderer {
        case let .categorized(attribute, categories):
            lines.append("  <renderer-v2 type=\"categorizedSymbol\" attr=\"\(xml(attribute))\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">")
            lines.append("    <categories>")
            for c in categories {
                lines.append("      <category value=\"\(xml(c.value.description))\" label=\"\(xml(c.label))\" symbol=\"\(symbolIndex(c.symbol))\" render=\"true\"/>")
            }
            lines.append("    </categories>")
        case let .graduated(attribute, ranges):
            lines.append("  <renderer-v2 type=\"graduatedSymbol\" attr=\"\(xml(attribute))\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">")
            lines.append("    <ranges>")
            for r in ranges {
                lines.append("      <range lower=\"\(number(r.lower))\" upper=\"\(number(r.upper))\" label=\"\(xml(r.label))\" symbol=\"\(symbolIndex(r.symbol))\" render=\"true\"/>")
            }
            lines.append("    </ranges>")
        case let .rules(rules):
            lines.append("  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">")
            lines.append("    <rules key=\"root\">")
            var key = 0
            func write(_ rule: StyleRule, indent: String) {
                key += 1
                let symbol = rule.symbol.map { " symbol=\"\(symbolIndex($0))\"" } ?? ""
                let open = "\(indent)<rule key=\"rule\(key)\" label=\"\(xml(rule.label))\" filter=\"\(xml(expression(rule.filter)))\"\(symbol)"
                if rule.children.isEmpty {
                    lines.append(open + "/>")
                } else {
                    lines.append(open + ">")
                    for child in rule.children { write(child, indent: indent + "  ") }
                    lines.append("\(indent)</rule>")
                }
            }
            for rule in rules { write(rule, indent: "      ") }
            lines.append("    </rules>")
        }
        lines.append("    <symbols>")
        for (i, s) in symbols.enumerated() { lines += symbolXML(s, name: String(i), indent: "      ") }
        lines.append("    </symbols>")
        lines.append("  </renderer-v2>")
        if let l = style.labels {
            lines.append("  <labeling type=\"simple\">")
            lines.append("    <settings calloutType=\"simple\">")
            lines.append("      <text-style fieldName=\"\(xml(l.field))\" isExpression=\"0\" fontSize=\"\(number(l.fontSize))\" fontSizeUnit=\"Point\" textColor=\"\(l.color.qgis)\" textOpacity=\"1\">")
            lines.append("        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.8\"/>")
            lines.append("      </text-style>")
            // QGIS keeps the historical swap: scaleMax is the most zoomed-out scale shown
            // (QgsPalLayerSettings::minimumScale), scaleMin the most zoomed-in one.
            lines.append("      <rendering scaleVisibility=\"1\" scaleMax=\"\(number(l.maxScaleDenominator))\" scaleMin=\"1\" obstacle=\"1\"/>")
            lines.append("    </settings>")
            lines.append("  </labeling>")
        }
        lines.append("  <layerGeometryType>\(style.geometry.rawValue)</layerGeometryType>")
        lines.append("</qgis>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One symbol with one simple symbol layer (SimpleFill, SimpleLine, SimpleMarker).
    static func symbolXML(_ s: StyleSymbol, name: String, indent: String) -> [String] {
        let type: String, layerClass: String, options: [(String, String)]
        switch s.kind {
        case .fill:
            type = "fill"; layerClass = "SimpleFill"
            options = [
                ("color", s.color.qgis), ("style", "solid"),
                ("outline_style", s.outline == nil ? "no" : "solid"),
                ("outline_color", (s.outline ?? StyleColor(0, 0, 0, alpha: 0)).qgis),
                ("outline_width", number(s.outline == nil ? 0 : s.size)), ("outline_width_unit", "MM"),
            ]
        case .line:
            type = "line"; layerClass = "SimpleLine"
            options = [
                ("line_color", s.color.qgis), ("line_style", "solid"), ("line_width", number(s.size)),
                ("line_width_unit", "MM"), ("capstyle", "round"), ("joinstyle", "round"),
            ]
        case .marker:
            type = "marker"; layerClass = "SimpleMarker"
            options = [
                ("name", "circle"), ("color", s.color.qgis), ("size", number(s.size)), ("size_unit", "MM"),
                ("outline_style", s.outline == nil ? "no" : "solid"),
                ("outline_color", (s.outline ?? StyleColor(0, 0, 0, alpha: 0)).qgis), ("outline_width", "0.2"),
                ("outline_width_unit", "MM"),
            ]
        }
        var lines = ["\(indent)<symbol name=\"\(name)\" type=\"\(type)\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"]
        lines.append("\(indent)  <layer class=\"\(layerClass)\" enabled=\"1\" locked=\"0\" pass=\"0\">")
        lines.append("\(indent)    <Option type=\"Map\">")
        for (k, v) in options { lines.append("\(indent)      <Option name=\"\(k)\" value=\"\(xml(v))\" type=\"QString\"/>") }
        lines.append("\(indent)    </Option>")
        lines.append("\(indent)  </layer>")
        lines.append("\(indent)</symbol>")
        return lines
    }

    /// The filter as a QGIS expression: `"kind" = 'test_event' AND "hit" = 1`.
    public static func expression(_ f: StyleFilter) -> String {
        switch f {
        case let .equals(field, value):
            switch value {
            case .integer(let v): return "\(quoteField(field)) = \(v)"
            case .text(let s): return "\(quoteField(field)) = '\(s.replacingOccurrences(of: "'", with: "''"))'"
            }
        case let .range(field, lower, upper, includeLower):
            return "\(quoteField(field)) \(includeLower ? ">=" : ">") \(number(lower)) AND \(quoteField(field)) <= \(number(upper))"
        case let .and(parts):
            return parts.map { "(\(expression($0)))" }.joined(separator: " AND ")
        }
    }

    static func quoteField(_ name: String) -> String { "\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"" }

    /// A number as QGIS writes it: shortest round-trip decimal, no exponent for ordinary values.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// XML attribute escaping.
    static func xml(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            default: out.append(c)
            }
        }
        return out
    }
}
