import Foundation

/// One layer's styles as stored: the table (layer) they are for, its geometry column, and the
/// styles, the first being the default (`useAsDefault`).
struct StoredStyles {
    let table: String
    let geometryColumn: String
    let styles: [LayerStyle]

    /// The styles of routerisk's layer `layer` written as `table`, for the values in `rows`.
    init(layer: String, table: String, geometryColumn: String, fields: [FieldDefinition], rows: [(wkb: [UInt8]?, values: [FieldValue])]) {
        self.table = table
        self.geometryColumn = geometryColumn
        let data = StyleData(fields: Set(fields.map(\.name))) { name in
            guard let i = fields.firstIndex(where: { $0.name == name }) else { return [] }
            return rows.compactMap { if case .real(let v) = $0.values[i] { return v } else { return nil } }
        }
        styles = RouteRiskStyles.styles(forLayer: layer, data: data)
    }
}

/// QGIS's `layer_styles` table, in which a GeoPackage or a PostgreSQL database keeps layer
/// styles and from which QGIS loads a layer's default style by itself.
enum StyleTable {
    /// The columns QGIS's OGR provider creates in a GeoPackage (QgsOgrProviderUtils, `saveStyle`).
    static let fields: [FieldDefinition] = [
        .init(name: "f_table_catalog", kind: .string), .init(name: "f_table_schema", kind: .string),
        .init(name: "f_table_name", kind: .string), .init(name: "f_geometry_column", kind: .string),
        .init(name: "styleName", kind: .string), .init(name: "styleQML", kind: .string),
        .init(name: "styleSLD", kind: .string), .init(name: "useAsDefault", kind: .boolean),
        .init(name: "description", kind: .string), .init(name: "owner", kind: .string),
        .init(name: "ui", kind: .string), .init(name: "update_time", kind: .dateTime),
    ]

    /// Writes `layer_styles` into an open GeoPackage, before it is closed and renamed into place.
    static func write(_ layers: [StoredStyles], into writer: VectorWriter, time: String) throws {
        var rows: [(wkb: [UInt8]?, values: [FieldValue])] = []
        for layer in layers {
            for (i, style) in layer.styles.enumerated() {
                rows.append((nil, [
                    .string(""), .string(""), .string(layer.table), .string(layer.geometryColumn),
                    .string(style.name), .string(QMLDocument.qml(style)),
                    .string(SLDDocument.sld(style, layerName: layer.table)), .boolean(i == 0),
                    .string(style.description), .string("routerisk"), .null, .string(time),
                ]))
            }
        }
        guard !rows.isEmpty else { return }
        try FeatureWriter.writeLayer(writer, name: "layer_styles", geometry: nil, fields: fields, options: [], rows: rows)
    }

    /// The same rows as SQL for PostgreSQL's `public.layer_styles` (QGIS's PostgreSQL provider
    /// schema), replacing routerisk's earlier styles of the same tables; the table is created
    /// when absent, as QGIS creates it.
    static func postgresStatements(_ layers: [StoredStyles], schema: String) -> [String] {
        var statements = [
            """
            CREATE TABLE IF NOT EXISTS public.layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, \
            f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, stylename text, styleqml xml, \
            stylesld xml, useasdefault boolean, description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml, \
            update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)
            """,
            // QGIS matches `type` against the layer's geometry type or accepts NULL: NULL fits every reader.
        ]
        for layer in layers where !layer.styles.isEmpty {
            let table = SQL.literal(layer.table), schemaLiteral = SQL.literal(schema)
            statements.append(
                "DELETE FROM public.layer_styles WHERE f_table_catalog = current_database() AND f_table_schema = \(schemaLiteral) AND f_table_name = \(table) AND (owner = 'routerisk' OR stylename IN (\(layer.styles.map { SQL.literal($0.name) }.joined(separator: ", "))))")
            if !layer.styles.isEmpty {
                statements.append("UPDATE public.layer_styles SET useasdefault = false WHERE f_table_catalog = current_database() AND f_table_schema = \(schemaLiteral) AND f_table_name = \(table)")
            }
            for (i, style) in layer.styles.enumerated() {
                statements.append("""
                    INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, \
                    stylename, styleqml, stylesld, useasdefault, description, owner, type) VALUES (current_database(), \
                    \(schemaLiteral), \(table), \(SQL.literal(layer.geometryColumn)), \(SQL.literal(style.name)), \
                    XMLPARSE(DOCUMENT \(SQL.literal(QMLDocument.qml(style)))), \
                    XMLPARSE(DOCUMENT \(SQL.literal(SLDDocument.sld(style, layerName: layer.table)))), \
                    \(i == 0 ? "true" : "false"), \(SQL.literal(style.description)), 'routerisk', NULL)
                    """)
            }
        }
        return statements
    }
}

/// SQL text for PostgreSQL.
enum SQL {
    /// A string literal with standard_conforming_strings (the default since PostgreSQL 9.1):
    /// quotes doubled; `E''` is not used, so backslashes are literal.
    static func literal(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\u{0}", with: "") + "'"
    }

    /// A quoted identifier: `"name"` with quotes doubled.
    static func identifier(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
