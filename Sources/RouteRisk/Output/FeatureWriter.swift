import Foundation

/// The feature layers of MODEL §11 (`routes`, `hotspots`) written through OGR: GeoJSON
/// with RFC7946=YES (lon/lat, counter-clockwise exterior rings, 7 decimals, bbox), or GeoPackage.
struct FeatureWriter {
    static let routeFields: [FieldDefinition] = [
        .init(name: "id", kind: .string), .init(name: "name", kind: .string), .init(name: "rank", kind: .integer),
        .init(name: "risk", kind: .real), .init(name: "class", kind: .string), .init(name: "events", kind: .integer),
        .init(name: "weight", kind: .real), .init(name: "persons", kind: .integer), .init(name: "expected", kind: .real),
        .init(name: "rate_ratio", kind: .real), .init(name: "p_value", kind: .real), .init(name: "length_km", kind: .real),
        .init(name: "corridor_km2", kind: .real), .init(name: "evasion_km", kind: .real),
        .init(name: "nearest_post", kind: .string), .init(name: "crossings", kind: .integer),
        .init(name: "landings", kind: .integer), .init(name: "trend", kind: .string), .init(name: "trend_p", kind: .real),
        .init(name: "sen_slope", kind: .real), .init(name: "mean_intensity_km2", kind: .real),
        .init(name: "explanation", kind: .string),
    ]

    static let cellFields: [FieldDefinition] = [
        .init(name: "q", kind: .integer), .init(name: "r", kind: .integer), .init(name: "events", kind: .integer),
        .init(name: "weight", kind: .real), .init(name: "intensity_km2", kind: .real), .init(name: "gi_z", kind: .real),
        .init(name: "gi_p", kind: .real), .init(name: "gi_bin", kind: .integer),
    ]

    /// The route fields of a result: MODEL §11's list, plus `emerging` when §8 ran.
    static func routeFields(_ result: ScoreResult) -> [FieldDefinition] {
        routeFields + (result.emergingRan ? [.init(name: "emerging", kind: .string)] : [])
            + [.init(name: "expected_next", kind: .real)]
    }

    /// The cell fields of a result: MODEL §11's list, plus `gi_p_sim` with permutations and `emerging` when §8 ran.
    static func cellFields(_ result: ScoreResult) -> [FieldDefinition] {
        cellFields + (result.options.permutations > 0 ? [.init(name: "gi_p_sim", kind: .real)] : [])
            + (result.emergingRan ? [.init(name: "emerging", kind: .string)] : [])
            + [.init(name: "forecast", kind: .real)]
    }

    static let geoJSONLayerOptions = ["RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_BBOX=YES", "WRITE_NAME=NO"]

    static func routeValues(_ r: RouteScore, result: ScoreResult) -> [FieldValue] {
        routeValues(r) + (result.emergingRan ? [r.emerging.map { .string($0.rawValue) } ?? .null] : [])
            + [r.expectedNext.map(FieldValue.real) ?? .null]
    }

    static func cellValues(_ c: CellScore, result: ScoreResult) -> [FieldValue] {
        cellValues(c) + (result.options.permutations > 0 ? [c.giPSim.map(FieldValue.real) ?? .null] : [])
            + (result.emergingRan ? [c.emerging.map { .string($0.rawValue) } ?? .null] : [])
            + [.real(c.forecast)]
    }

    static func routeValues(_ r: RouteScore) -> [FieldValue] {
        func real(_ v: Double?) -> FieldValue { v.map(FieldValue.real) ?? .null }
        return [
            .string(r.id), .string(r.name), .integer(Int64(r.rank)), real(r.risk), .string(r.riskClass.rawValue),
            .integer(Int64(r.events)), .real(r.weight), .integer(Int64(r.persons)), .real(r.expected),
            real(r.rateRatio), .real(r.pValue), .real(r.lengthKm), .real(r.corridorKm2), real(r.evasionKm),
            r.nearestPost.map(FieldValue.string) ?? .null, .integer(Int64(r.crossings)), .integer(Int64(r.landings)),
            .string(r.trend.rawValue), real(r.trendP), real(r.senSlope), .real(r.meanIntensityKm2),
            .string(r.explanation),
        ]
    }

    static func cellValues(_ c: CellScore) -> [FieldValue] {
        [
            .integer(Int64(c.coordinate.q)), .integer(Int64(c.coordinate.r)), .integer(Int64(c.events)),
            .real(c.weight), .real(c.intensityKm2), .real(c.giZ), .real(c.giP), .integer(Int64(c.giBin)),
        ]
    }

    /// The cells written: λ > 0, gi_bin ≠ 0 or forecast > 0 (MODEL §13), or all with `--all-cells`; in (q, r) order.
    static func cellsToWrite(_ result: ScoreResult) -> [CellScore] {
        result.options.allCells ? result.cells : result.cells.filter { $0.intensityKm2 > 0 || $0.giBin != 0 || $0.forecast > 0 }
    }

    /// Route geometries as read (lon/lat) and cell hexagons inverse-projected, as WKB built in Swift (`WKB`: the
    /// bytes GEOS's writer gives, without a GEOS geometry per feature).
    static func routeWKB(_ r: RouteScore, context: GEOSContext) throws -> [UInt8] {
        WKB.lines(r.line.parts, multi: r.line.isMulti)
    }

    static func cellWKB(_ cells: [CellScore], result: ScoreResult, context: GEOSContext) throws -> [[UInt8]] {
        try cellWKB(cells[...], result: result,
                    transformer: try CoordinateTransformer(from: "EPSG:4326", to: result.projection.definition))
    }

    /// The hexagons of `cells` through a transformer of the caller's thread (one PROJ context per thread).
    static func cellWKB(_ cells: ArraySlice<CellScore>, result: ScoreResult,
                        transformer: CoordinateTransformer) throws -> [[UInt8]] {
        // One PROJ call for every vertex of every cell, then six vertices per hexagon.
        let vertices = try transformer.transformed(cells.flatMap { result.grid.vertices(of: $0.coordinate) }, inverse: true)
        return (0..<cells.count).map { i in WKB.counterClockwisePolygon(exterior: vertices[(6 * i)..<(6 * i + 6)]) }
    }

    /// Writes one layer into an open dataset.
    @discardableResult
    static func writeLayer(
        _ writer: VectorWriter, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
        options: [String], rows: [(wkb: [UInt8]?, values: [FieldValue])]
    ) throws -> LayerWriter {
        let layer = try writer.addLayer(name: name, geometry: geometry, fields: fields, options: options)
        for row in rows { try layer.write(wkb: row.wkb, values: row.values) }
        return layer
    }
}
