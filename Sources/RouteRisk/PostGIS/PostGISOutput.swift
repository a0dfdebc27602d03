import Foundation

/// Where `--format postgis` writes: a GDAL PostgreSQL connection string (`PG:dbname=ops …`)
/// and a schema (`--schema`, default `public`).
public struct PostGISTarget: Sendable {
    public let connection: String
    public let schema: String

    public init(connection: String, schema: String = "public") {
        self.connection = connection
        self.schema = schema
    }

    /// The connection as it may be shown: passwords masked.
    public var description: String { ConnectionString.masked(connection) }

    /// The tables a run writes, prefixed `routerisk_`.
    public static func tableName(_ layer: String) -> String { "routerisk_\(layer)" }

    /// `schema.table` as shown to the user.
    public func qualified(_ table: String) -> String { "\(schema).\(table)" }
}

/// One table to write: routerisk's layer name (`routes`), its rows, and their geometry type.
struct PostGISLayer {
    let layer: String
    let geometry: OGRGeometryKind
    let fields: [FieldDefinition]
    let rows: [(wkb: [UInt8]?, values: [FieldValue])]
    var table: String { PostGISTarget.tableName(layer) }
}

/// Writes result tables into PostgreSQL/PostGIS through GDAL's PG driver, all or nothing: the
/// tables are created under temporary names, filled (COPY), indexed (GiST on `geom`, EPSG:4326),
/// then swapped in for the previous ones, the run recorded in `routerisk_runs` and the styles in
/// `layer_styles` — all in one transaction (`GDALDatasetStartTransaction`), so that a reader
/// sees the old map or the new one and a run that fails or is killed leaves the old tables.
struct PostGISOutput {
    let target: PostGISTarget
    let overwrite: Bool
    let styles: Bool

    /// Set by the tests only: a file the writer creates when every table is written and the
    /// swap is next, after which it waits (so a test can kill it there).
    static let pauseBeforeSwapVariable = "ROUTERISK_TEST_PAUSE_BEFORE_SWAP"

    /// Opens the database for update; a failed connection is `RunError.missingInput` (66).
    func open() throws -> VectorWriter {
        do {
            return try VectorWriter(updating: target.connection)
        } catch let error as VectorSourceError {
            throw RunError.missingInput("\(target.description): cannot connect to write the results: \(ConnectionString.masked(GDAL.oneLine(error.message), about: target.connection))")
        }
    }

    /// Fails early: 66 when the database cannot be reached, 73 when the schema is absent or a
    /// table exists and `--overwrite` is off.
    func checkWritable(tables: [String]) throws {
        let database = try open()
        try check(database, tables: tables)
    }

    private func check(_ database: VectorWriter, tables: [String]) throws {
        let schemaRows = try run(database, "SELECT count(*) FROM pg_namespace WHERE nspname = \(SQL.literal(target.schema))")
        if schemaRows.first?.first ?? "0" == "0" {
            throw RunError.cannotWrite("\(target.description): schema '\(target.schema)' does not exist (create it or give --schema)")
        }
        guard !overwrite else { return }
        let existing = try run(database, """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
            WHERE n.nspname = \(SQL.literal(target.schema)) AND c.relname IN (\(tables.map(SQL.literal).joined(separator: ", "))) ORDER BY c.relname
            """).compactMap { $0.first ?? nil }
        if !existing.isEmpty {
            throw RunError.cannotWrite("\(target.description): table\(existing.count == 1 ? "" : "s") \(existing.map(target.qualified).joined(separator: ", ")) already exist\(existing.count == 1 ? "s" : "") (give --overwrite to replace)")
        }
    }

    /// Writes the tables and the run's row; `command` is `score` or `replay`, `summary` the
    /// run's summary JSON.
    func write(_ layers: [PostGISLayer], command: String, summaryJSON: String) throws {
        let database = try open()
        try check(database, tables: layers.map(\.table))
        let suffix = "_tmp\(ProcessInfo.processInfo.processIdentifier)"
        let schema = SQL.identifier(target.schema)
        do {
            try database.startTransaction()
            for layer in layers {
                let temporary = layer.table + suffix
                let writer = try FeatureWriter.writeLayer(
                    database, name: temporary, geometry: layer.geometry, fields: layer.fields,
                    options: ["SCHEMA=\(target.schema)", "GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=GIST",
                              "OVERWRITE=YES", "LAUNDER=NO", "DIM=2"],
                    rows: layer.rows)
                try writer.finish()
            }
            if let marker = ProcessInfo.processInfo.environment[Self.pauseBeforeSwapVariable] {
                FileManager.default.createFile(atPath: marker, contents: Data())
                Thread.sleep(forTimeInterval: 120)
            }
            for layer in layers {
                let temporary = layer.table + suffix
                if overwrite { try run(database, "DROP TABLE IF EXISTS \(schema).\(SQL.identifier(layer.table))") }
                try run(database, "ALTER TABLE \(schema).\(SQL.identifier(temporary)) RENAME TO \(SQL.identifier(layer.table))")
                // The index, key and sequence GDAL made carry the temporary name: give them the final one.
                try run(database, """
                    DO $routerisk$ DECLARE r record; BEGIN \
                    FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                    WHERE n.nspname = \(SQL.literal(target.schema)) AND c.relname LIKE \(SQL.literal(temporary + "%")) AND c.relkind IN ('i', 'S') LOOP \
                    EXECUTE format('ALTER %s %I.%I RENAME TO %I', CASE r.relkind WHEN 'i' THEN 'INDEX' ELSE 'SEQUENCE' END, \
                    \(SQL.literal(target.schema)), r.relname, replace(r.relname, \(SQL.literal(temporary)), \(SQL.literal(layer.table)))); \
                    END LOOP; END $routerisk$
                    """)
            }
            try run(database, """
                CREATE TABLE IF NOT EXISTS \(schema).routerisk_runs (id bigserial PRIMARY KEY, \
                run_at timestamptz NOT NULL DEFAULT now(), command text NOT NULL, model text NOT NULL, \
                tables text[] NOT NULL, summary jsonb NOT NULL)
                """)
            // The model is the one the summary names (a score's `model`, a replay's `summary.model`).
            try run(database, """
                INSERT INTO \(schema).routerisk_runs (command, model, tables, summary) SELECT \(SQL.literal(command)), \
                coalesce(s->>'model', s->'summary'->>'model', \(SQL.literal(Summary.modelName))), \
                ARRAY[\(layers.map { SQL.literal($0.table) }.joined(separator: ", "))]::text[], s \
                FROM (SELECT \(SQL.literal(summaryJSON))::jsonb AS s) AS run
                """)
            if styles {
                let stored = layers.map {
                    StoredStyles(layer: $0.layer, table: $0.table, geometryColumn: "geom", fields: $0.fields, rows: $0.rows)
                }
                for statement in StyleTable.postgresStatements(stored, schema: target.schema) { try run(database, statement) }
            }
            try database.commitTransaction()
            try database.close()
        } catch {
            database.rollbackTransaction()
            if let e = error as? RunError { throw e }
            throw RunError.cannotWrite("\(target.description): \(ConnectionString.masked("\(error)", about: target.connection)); the previous tables are unchanged")
        }
    }

    @discardableResult
    private func run(_ database: VectorWriter, _ sql: String) throws -> [[String?]] {
        do {
            return try database.execute(sql)
        } catch let error as GDALError {
            throw RunError.cannotWrite("\(target.description): \(ConnectionString.masked(GDAL.oneLine(error.message), about: target.connection))")
        }
    }
}
