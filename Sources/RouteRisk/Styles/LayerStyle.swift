import Foundation

/// One description of a layer's look, from which QGIS's QML and OGC's SLD are generated
/// (`QMLDocument`, `SLDDocument`): renderer, classes with colours, labels, temporal settings.
public struct LayerStyle: Sendable, Equatable {
    /// The style's name in QGIS's style list (`layer_styles.styleName`).
    public var name: String
    public var description: String
    public var geometry: StyleGeometry
    public var renderer: StyleRenderer
    public var labels: StyleLabels?
    public var temporal: StyleTemporal?

    public init(name: String, description: String, geometry: StyleGeometry, renderer: StyleRenderer,
                labels: StyleLabels? = nil, temporal: StyleTemporal? = nil) {
        self.name = name
        self.description = description
        self.geometry = geometry
        self.renderer = renderer
        self.labels = labels
        self.temporal = temporal
    }
}

/// The geometry type of the layer a style is for (QGIS's `layerGeometryType`: 0 point, 1 line, 2 polygon).
public enum StyleGeometry: Int, Sendable {
    case point = 0, line = 1, polygon = 2
    /// A layer of several types (the replay: cells and events); QGIS records it as unknown.
    case mixed = 3
}

/// An sRGB colour with an opacity in 0…1.
public struct StyleColor: Sendable, Equatable {
    public var red: UInt8, green: UInt8, blue: UInt8
    public var alpha: Double

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// `#RRGGBB` (as in ColorBrewer and ArcGIS's documentation).
    public init(hex: String, alpha: Double = 1) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        let v = UInt32(digits, radix: 16) ?? 0
        self.init(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF), alpha: alpha)
    }

    /// QGIS's `r,g,b,a` with a in 0…255.
    var qgis: String { "\(red),\(green),\(blue),\(Int((alpha * 255).rounded()))" }
    /// `#rrggbb` for SLD.
    var hex: String { String(format: "#%02x%02x%02x", red, green, blue) }
}

/// A simple symbol: a filled polygon (outline optional), a line, or a circle marker. Sizes in mm.
public struct StyleSymbol: Sendable, Equatable {
    public enum Kind: Sendable { case fill, line, marker }
    public var kind: Kind
    public var color: StyleColor
    /// Outline of a fill or marker; nil: none (hexagons at national zoom).
    public var outline: StyleColor?
    /// Line width, outline width, or marker diameter (mm).
    public var size: Double

    public static func fill(_ color: StyleColor, outline: StyleColor? = nil, outlineWidth: Double = 0.26) -> StyleSymbol {
        StyleSymbol(kind: .fill, color: color, outline: outline, size: outlineWidth)
    }
    public static func line(_ color: StyleColor, width: Double) -> StyleSymbol {
        StyleSymbol(kind: .line, color: color, outline: nil, size: width)
    }
    public static func marker(_ color: StyleColor, diameter: Double, outline: StyleColor? = StyleColor(0, 0, 0)) -> StyleSymbol {
        StyleSymbol(kind: .marker, color: color, outline: outline, size: diameter)
    }
}

/// One category of a categorised renderer: features whose attribute equals `value`.
public struct StyleCategory: Sendable, Equatable {
    public var value: StyleValue
    public var label: String
    public var symbol: StyleSymbol
}

/// An attribute value a style compares with: a number or a text.
public enum StyleValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int64), text(String)
    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .text(let s): return s
        }
    }
}

/// One class of a graduated renderer: lower < value ≤ upper (QGIS's convention; the first
/// class includes its lower bound).
public struct StyleRange: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var label: String
    public var symbol: StyleSymbol
}

/// A rule of a rule-based renderer: a filter, and either a symbol or nested rules.
public struct StyleRule: Sendable, Equatable {
    public var label: String
    public var filter: StyleFilter
    public var symbol: StyleSymbol?
    public var children: [StyleRule]

    public init(label: String, filter: StyleFilter, symbol: StyleSymbol? = nil, children: [StyleRule] = []) {
        self.label = label
        self.filter = filter
        self.symbol = symbol
        self.children = children
    }
}

/// A filter written both as a QGIS expression and as an OGC filter.
public indirect enum StyleFilter: Sendable, Equatable {
    case equals(String, StyleValue)
    /// lower < field ≤ upper (or lower ≤ field ≤ upper when `includeLower`).
    case range(String, lower: Double, upper: Double, includeLower: Bool)
    case and([StyleFilter])
}

public enum StyleRenderer: Sendable, Equatable {
    case categorized(attribute: String, categories: [StyleCategory])
    case graduated(attribute: String, ranges: [StyleRange])
    case rules([StyleRule])
}

/// Labels from one field, shown only when zoomed in to at least 1:`maxScaleDenominator`.
public struct StyleLabels: Sendable, Equatable {
    public var field: String
    public var maxScaleDenominator: Double
    public var fontSize: Double
    public var color: StyleColor
}

/// QGIS's temporal properties from a start and an end field (mode "start and end from fields"),
/// so that the Temporal Controller plays the layer.
public struct StyleTemporal: Sendable, Equatable {
    public var startField: String
    public var endField: String
}
