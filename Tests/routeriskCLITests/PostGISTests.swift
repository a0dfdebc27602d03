import Foundation
import XCTest

/// PostGIS in and out against a real PostgreSQL server: the throwaway cluster that
/// `Tests/tools/with-postgres.sh` starts (and `make test` always runs these tests in). Each test
/// works in a schema of its own, dropped at the end.
final class PostGISTests: XCTestCase {
    /// The password of the `analyst` role the cluster script creates (scram-sha-256).
    static let analystPassword = "analyst-secret"
    private var schema = ""

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["ROUTERISK_TEST_POSTGRES"] == "1" else {
            throw XCTSkip("""
                SKIPPED: no throwaway PostgreSQL server. Run the tests under Tests/tools/with-postgres.sh \
                (`make test` does: it installs postgresql and postgresql-15-postgis-3 and starts a cluster)
                """)
        }
        schema = "t_" + UUID().uuidString.prefix(8).lowercased()
        try psql("CREATE SCHEMA \(schema)")
    }

    override func tearDownWithError() throws {
        guard !schema.isEmpty else { return }
        try psql("DROP SCHEMA \(schema) CASCADE")
        try psql("DELETE FROM public.layer_styles WHERE f_table_schema = '\(schema)'", allowFailure: true)
    }

    // MARK: Tools

    @discardableResult
    private func tool(_ name: String, _ args: [String], allowFailure: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if !allowFailure {
            XCTAssertEqual(process.terminationStatus, 0, "\(name) \(args.joined(separator: " ")):\n\(String(decoding: errors, as: UTF8.self))", file: file, line: line)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs SQL through psql (on PGHOST/PGDATABASE); the rows unaligned, `|`-separated.
    @discardableResult
    private func psql(_ sql: String, allowFailure: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        try tool("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], allowFailure: allowFailure, file: file, line: line)
            .split(separator: "\n").map(String.init)
    }

    /// Loads a file into `schema.table` with ogr2ogr, as an analyst would.
    private func load(_ file: URL, as table: String, csvPoints: Bool = false) throws {
        var args = ["-f", "PostgreSQL", "PG:dbname=routerisk", file.path, "-nln", table,
                    "-lco", "SCHEMA=\(schema)", "-lco", "GEOMETRY_NAME=geom"]
        if csvPoints {
            args += ["-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "AUTODETECT_TYPE=YES", "-a_srs", "EPSG:4326"]
        }
        try tool("ogr2ogr", args)
    }

    private static let layers = ["coastline", "borders", "posts", "routes", "interceptions"]

    /// Loads every layer of a scene directory (interceptions from its CSV) into the schema.
    private func loadScene(_ dir: URL) throws {
        for layer in Self.layers {
            let file = dir.appendingPathComponent(layer == "interceptions" ? "interceptions.csv" : "\(layer).geojson")
            try load(file, as: layer, csvPoints: layer == "interceptions")
        }
    }

    private func layerFlags(_ connection: String = "PG:dbname=routerisk") -> [String] {
        Self.layers.flatMap { ["--\($0)", "\(connection)|layername=\(schema).\($0)"] }
    }

    private var analystConnection: String { "PG:dbname=routerisk user=analyst password=\(Self.analystPassword)" }

    /// The features of a GeoJSON output, as decoded JSON.
    private func features(_ url: URL) throws -> [NSDictionary] {
        (try jsonObject(url)["features"] as? [[String: Any]] ?? []).map { $0 as NSDictionary }
    }

    /// summary.json without its wall times (which differ between any two runs).
    /// The summary without its times and its provenance (files are recorded by SHA-256, a
    /// database layer by its masked source and rows: the inputs differ by design).
    private func summaryWithoutTimes(_ url: URL) throws -> NSDictionary {
        var s = try jsonObject(url)
        s["stages_s"] = nil
        s["provenance"] = nil
        return s as NSDictionary
    }

    private func assertNoPassword(_ r: CLI.Result, file: StaticString = #filePath, line: UInt = #line) {
        for secret in [Self.analystPassword, "wrong-secret"] {
            XCTAssertFalse(r.stdout.contains(secret), "password on stdout:\n\(r.stdout)", file: file, line: line)
            XCTAssertFalse(r.stderr.contains(secret), "password on stderr:\n\(r.stderr)", file: file, line: line)
        }
    }

    // MARK: PostGIS in

    /// The sample scene loaded with ogr2ogr and scored from the database gives the same
    /// routes, hot spots and summary, field by field, as the run from its files.
    func testSampleSceneFromPostGISEqualsTheFileRun() throws {
        try loadScene(Paths.sampleScene)
        XCTAssertEqual(try psql("SELECT data_type FROM information_schema.columns WHERE table_schema = '\(schema)' AND table_name = 'interceptions' AND column_name = 'date'"), ["date"])
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--out", dir.path("files").path, "--quiet"], timeout: 600)
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.sampleScene.path] + layerFlags(analystConnection.replacingOccurrences(of: "PG:dbname=routerisk", with: "PG:dbname=routerisk"))
                                   + ["--out", dir.path("db").path], timeout: 600)
        assertNoPassword(r)
        // The provenance records each database layer by its masked source and the rows read;
        // the password appears nowhere in the summary (nor in the command line it records).
        let summaryURL = dir.path("db").appendingPathComponent("summary.json")
        XCTAssertFalse(try String(contentsOf: summaryURL, encoding: .utf8).contains(Self.analystPassword))
        let inputs = ((try jsonObject(summaryURL)["provenance"] as? [String: Any])?["inputs"] as? [[String: Any]]) ?? []
        let databaseInputs = inputs.filter { $0["source"] != nil }
        XCTAssertFalse(databaseInputs.isEmpty, "\(inputs)")
        for input in databaseInputs {
            XCTAssertTrue((input["source"] as? String ?? "").hasPrefix("PG:"), "\(input)")
            XCTAssertGreaterThan(input["rows"] as? Int ?? 0, 0, "\(input)")
            XCTAssertNil(input["sha256"])
        }
        for name in ["routes.geojson", "hotspots.geojson"] {
            let a = try features(dir.path("files").appendingPathComponent(name))
            let b = try features(dir.path("db").appendingPathComponent(name))
            XCTAssertEqual(a.count, b.count, name)
            XCTAssertGreaterThan(a.count, 0, name)
            for (i, (x, y)) in zip(a, b).enumerated() where x != y {
                XCTFail("\(name) feature \(i) differs:\nfiles: \(x)\ndb: \(y)")
                break
            }
        }
        XCTAssertEqual(try summaryWithoutTimes(dir.path("files").appendingPathComponent("summary.json")),
                       try summaryWithoutTimes(dir.path("db").appendingPathComponent("summary.json")))
    }

    /// `timestamptz` dates and a table whose rows come back in another order give the same run as the CSV.
    func testTimestampDatesAndRowOrder() throws {
        try loadScene(Paths.tinyScene)
        try psql("""
            ALTER TABLE \(schema).interceptions ALTER COLUMN date TYPE timestamptz USING (date::timestamp AT TIME ZONE 'UTC');
            CLUSTER \(schema).interceptions USING interceptions_geom_geom_idx
            """)
        XCTAssertEqual(try psql("SELECT data_type FROM information_schema.columns WHERE table_schema = '\(schema)' AND table_name = 'interceptions' AND column_name = 'date'"), ["timestamp with time zone"])
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("files").path, "--quiet"])
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path] + layerFlags() + ["--out", dir.path("db").path, "--quiet"])
        for name in ["routes.geojson", "hotspots.geojson"] {
            XCTAssertEqual(try features(dir.path("files").appendingPathComponent(name)),
                           try features(dir.path("db").appendingPathComponent(name)), name)
        }
        XCTAssertEqual(try summaryWithoutTimes(dir.path("files").appendingPathComponent("summary.json")),
                       try summaryWithoutTimes(dir.path("db").appendingPathComponent("summary.json")))
    }

    /// A connection string in scene.toml, with `|layername=`, next to a relative file path.
    func testSceneTomlNamesDatabaseLayers() throws {
        try load(Paths.tinyScene.appendingPathComponent("interceptions.csv"), as: "interceptions", csvPoints: true)
        let dir = try TemporaryDirectory()
        let scene = try dir.copyTinyScene()
        let toml = try String(contentsOf: scene.appendingPathComponent("scene.toml"), encoding: .utf8)
            .replacingOnce("interceptions = \"interceptions.csv\"", with: "interceptions = \"PG:dbname=routerisk|layername=\(schema).interceptions\"")
        try toml.write(to: scene.appendingPathComponent("scene.toml"), atomically: true, encoding: .utf8)
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("files").path, "--quiet"])
        let r = try CLI.assertExit(0, ["validate", "--scene", scene.path])
        XCTAssertTrue(r.stdout.contains("interceptions: PG:dbname=routerisk|layername=\(schema).interceptions"), r.stdout)
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", dir.path("db").path, "--quiet"])
        XCTAssertEqual(try features(dir.path("files").appendingPathComponent("routes.geojson")),
                       try features(dir.path("db").appendingPathComponent("routes.geojson")))
    }

    /// A bad row is named by its layer and primary key, and stops the run with 65.
    func testBadRowIsReportedByItsKey() throws {
        try loadScene(Paths.tinyScene)
        try psql("UPDATE \(schema).interceptions SET persons = -3 WHERE ogc_fid = 7")
        let dir = try TemporaryDirectory()
        let r = try CLI.assertExit(65, ["score", "--scene", Paths.tinyScene.path] + layerFlags() + ["--out", dir.path("out").path])
        XCTAssertTrue(r.stderr.contains("PG:dbname=routerisk|layername=\(schema).interceptions: feature ogc_fid=7: persons '-3'"), r.stderr)
        XCTAssertEqual(TemporaryDirectory.entries(dir.url), [], "nothing written")
    }

    // MARK: Connections

    /// A wrong password or an unreachable server: exit 66, a clear message, no password.
    func testWrongPasswordAndUnreachableServer() throws {
        try load(Paths.tinyScene.appendingPathComponent("interceptions.csv"), as: "interceptions", csvPoints: true)
        let dir = try TemporaryDirectory()
        let wrong = try CLI.assertExit(66, ["score", "--scene", Paths.tinyScene.path, "--interceptions",
            "PG:dbname=routerisk user=analyst password=wrong-secret|layername=\(schema).interceptions", "--out", dir.path("out").path])
        XCTAssertTrue(wrong.stderr.contains("password authentication failed for user \"analyst\""), wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("password=***"), wrong.stderr)
        assertNoPassword(wrong)
        let away = try CLI.assertExit(66, ["score", "--scene", Paths.tinyScene.path, "--interceptions",
            "PG:dbname=routerisk host=/nonexistent-socket-dir password='wrong-secret'|layername=\(schema).interceptions", "--out", dir.path("out").path])
        XCTAssertTrue(away.stderr.contains("cannot connect to the database of the interceptions layer"), away.stderr)
        XCTAssertTrue(away.stderr.contains("/nonexistent-socket-dir"), away.stderr)
        assertNoPassword(away)
        let out = try CLI.assertExit(66, ["score", "--scene", Paths.tinyScene.path, "--format", "postgis",
            "--out", "PG:dbname=routerisk user=analyst password=wrong-secret", "--schema", schema])
        XCTAssertTrue(out.stderr.contains("password authentication failed"), out.stderr)
        assertNoPassword(out)
        let missing = try CLI.assertExit(66, ["score", "--scene", Paths.tinyScene.path, "--interceptions",
            "PG:dbname=routerisk|layername=\(schema).no_such_table", "--out", dir.path("out").path])
        XCTAssertTrue(missing.stderr.contains("has no layer '\(schema).no_such_table'"), missing.stderr)
        // Connected, but nowhere to write: 73, nothing created.
        let noSchema = try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--format", "postgis",
            "--out", "PG:dbname=routerisk", "--schema", "\(schema)_absent"])
        XCTAssertTrue(noSchema.stderr.contains("schema '\(schema)_absent' does not exist"), noSchema.stderr)
        XCTAssertEqual(try psql("SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)_absent'"), ["0"])
        let usage = try CLI.assertExit(64, ["score", "--scene", Paths.tinyScene.path, "--format", "postgis", "--out", dir.path("out").path])
        XCTAssertTrue(usage.stderr.contains("--out must be a PostgreSQL connection string"), usage.stderr)
        XCTAssertEqual(TemporaryDirectory.entries(dir.url), [])
    }

    /// libpq's own ways to give credentials work: a password file (PGPASSFILE, ~/.pgpass) and
    /// the PG environment variables; a password in the string is masked in summary.json too.
    func testPasswordFileAndMaskingInTheSummary() throws {
        try loadScene(Paths.tinyScene)
        try psql("UPDATE \(schema).interceptions SET persons = -3 WHERE ogc_fid = 7")
        let dir = try TemporaryDirectory()
        let passfile = dir.path("pgpass")
        try "*:*:*:analyst:\(Self.analystPassword)\n".write(to: passfile, atomically: true, encoding: .utf8)
        chmod(passfile.path, 0o600)
        // No password anywhere on the command line: libpq finds it in the password file.
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path] + layerFlags("PG:dbname=routerisk user=analyst")
                           + ["--out", dir.path("a").path, "--quiet", "--skip-invalid"],
                           environment: ["PGPASSFILE": passfile.path])
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path] + layerFlags("PG:")
                           + ["--out", dir.path("b").path, "--quiet", "--skip-invalid"],
                           environment: ["PGPASSFILE": passfile.path, "PGUSER": "analyst", "PGDATABASE": "routerisk"])
        // Given in the string: it never reaches stdout, stderr or any output file.
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path] + layerFlags(analystConnection)
                                   + ["--out", dir.path("c").path, "--skip-invalid", "--json"])
        assertNoPassword(r)
        XCTAssertTrue(r.stdout.contains("feature ogc_fid=7"), r.stdout)
        for name in TemporaryDirectory.entries(dir.path("c")) {
            let text = String(decoding: try Data(contentsOf: dir.path("c").appendingPathComponent(name)), as: UTF8.self)
            XCTAssertFalse(text.contains(Self.analystPassword), "password in \(name)")
        }
        let problems = try jsonObject(dir.path("c/summary.json"))["problems"] as? [String] ?? []
        XCTAssertEqual(problems, ["PG:dbname=routerisk user=analyst password=***|layername=\(schema).interceptions: feature ogc_fid=7: persons '-3' is not an integer ≥ 0"])
    }

    // MARK: PostGIS out

    func testWriteResultsAndReadThemBack() throws {
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("files").path, "--quiet"])
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--format", "postgis",
                                       "--out", analystConnection, "--schema", schema])
        assertNoPassword(r)
        XCTAssertTrue(r.stdout.contains("\(schema).routerisk_routes in PG:dbname=routerisk user=analyst password=***"), r.stdout)

        // Routes: every field of every route, as the GeoJSON run wrote it.
        let fileRoutes = try features(dir.path("files").appendingPathComponent("routes.geojson"))
        let json = try psql("SELECT json_agg(row_to_json(t) ORDER BY rank) FROM (SELECT * FROM \(schema).routerisk_routes) t")
        let rows = try JSONSerialization.jsonObject(with: Data(json.joined().utf8)) as? [[String: Any]] ?? []
        XCTAssertEqual(rows.count, fileRoutes.count)
        for (row, feature) in zip(rows, fileRoutes) {
            let properties = feature["properties"] as? [String: Any] ?? [:]
            for (key, value) in properties {
                let stored = row[key]
                if let v = value as? Double, let s = stored as? Double {
                    XCTAssertEqual(v, s, accuracy: abs(v) * 1e-12, "route \(properties["id"] ?? "") \(key)")
                } else {
                    XCTAssertEqual("\(value)", "\(stored ?? NSNull())", "route \(properties["id"] ?? "") \(key)")
                }
            }
        }
        // Geometry column in EPSG:4326 with a GiST index; hot spots one row per written cell.
        XCTAssertEqual(try psql("SELECT DISTINCT ST_SRID(geom) FROM \(schema).routerisk_hotspots UNION SELECT DISTINCT ST_SRID(geom) FROM \(schema).routerisk_routes"), ["4326"])
        XCTAssertEqual(try psql("SELECT tablename FROM pg_indexes WHERE schemaname = '\(schema)' AND indexdef LIKE '%USING gist (geom)%' ORDER BY 1"),
                       ["routerisk_hotspots", "routerisk_routes"])
        let cells = try features(dir.path("files").appendingPathComponent("hotspots.geojson"))
        XCTAssertEqual(try psql("SELECT count(*) FROM \(schema).routerisk_hotspots"), [String(cells.count)])
        let fileBins = cells.map { ($0["properties"] as? [String: Any])?["gi_bin"] as? Int ?? 99 }
        let dbBins = try psql("SELECT gi_bin FROM \(schema).routerisk_hotspots ORDER BY fid").map { Int($0) ?? -99 }
        XCTAssertEqual(dbBins, fileBins)
        // The hexagon of each cell covers the same area (km², on the ellipsoid) as the file's.
        let areaDiff = try psql("SELECT max(abs(ST_Area(geom::geography) - 21650635.1)) < 1e3 FROM \(schema).routerisk_hotspots")
        XCTAssertEqual(areaDiff, ["t"], "5 km cells: √3/2 · 5² km² = 21.65 km²")

        // One run recorded, with the summary as jsonb.
        let summary: [String: Any] = try jsonObject(dir.path("files").appendingPathComponent("summary.json"))
        let model = try XCTUnwrap(summary["model"] as? String)
        XCTAssertEqual(try psql("SELECT command, model, tables FROM \(schema).routerisk_runs"),
                       ["score|\(model)|{routerisk_routes,routerisk_hotspots}"])
        let storedHotspots = try psql("SELECT summary->'hotspots' FROM \(schema).routerisk_runs").joined()
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(storedHotspots.utf8)) as? NSDictionary, summary["hotspots"] as? NSDictionary)
        // QGIS's layer_styles: one default per table, the alternatives beside it (intensity, and
        // emerging: the tiny scene spans more than 6 months).
        XCTAssertNotNil(summary["emerging_cells"] as? [String: Any])
        XCTAssertEqual(try psql("SELECT f_table_name, useasdefault, count(*) FROM public.layer_styles WHERE f_table_schema = '\(schema)' AND f_table_catalog = current_database() GROUP BY 1, 2 ORDER BY 1, 2"),
                       ["routerisk_hotspots|f|2", "routerisk_hotspots|t|1", "routerisk_routes|t|1"])
        XCTAssertEqual(try psql("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = '\(schema)' AND xpath_exists('/qgis/renderer-v2[@attr=\"gi_bin\"]', styleqml)"), ["1"])

        // Existing tables are replaced only with --overwrite (73 otherwise), and no password is shown.
        let refused = try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--format", "postgis", "--out", analystConnection, "--schema", schema])
        XCTAssertTrue(refused.stderr.contains("\(schema).routerisk_hotspots, \(schema).routerisk_routes already exist (give --overwrite to replace)"), refused.stderr)
        assertNoPassword(refused)
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--format", "postgis", "--out", analystConnection, "--schema", schema, "--overwrite", "--quiet"])
        XCTAssertEqual(try psql("SELECT count(*) FROM \(schema).routerisk_runs"), ["2"])
        XCTAssertEqual(try psql("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = '\(schema)'"), ["4"], "styles replaced, not added")
        XCTAssertEqual(try psql("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(schema)' AND c.relname LIKE '%\\_tmp%'"), ["0"], "no temporary table, index or sequence left")
    }

    /// A run killed with SIGKILL after writing its tables and before the swap leaves the
    /// previous tables as they were, and no half-written table.
    func testKilledBeforeTheSwapLeavesThePreviousTables() throws {
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--format", "postgis", "--out", "PG:dbname=routerisk", "--schema", schema, "--quiet"])
        let fingerprint = "SELECT (SELECT count(*) FROM \(schema).routerisk_hotspots), (SELECT md5(string_agg(ST_AsText(geom) || gi_bin, ',' ORDER BY fid)) FROM \(schema).routerisk_hotspots), (SELECT count(*) FROM \(schema).routerisk_runs)"
        let before = try psql(fingerprint)

        let dir = try TemporaryDirectory()
        let marker = dir.path("ready")
        let process = Process()
        process.executableURL = CLI.binary
        // Another cell size: a different map, were it to get through.
        process.arguments = ["score", "--scene", Paths.tinyScene.path, "--format", "postgis", "--out", "PG:dbname=routerisk",
                             "--schema", schema, "--overwrite", "--quiet", "--cell", "3km"]
        var env = ProcessInfo.processInfo.environment
        env["ROUTERISK_TEST_PAUSE_BEFORE_SWAP"] = marker.path
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: marker.path) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker.path), "the writer never reached the swap")
        // While it waits, its new tables are invisible to other sessions.
        XCTAssertEqual(try psql("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(schema)' AND c.relname LIKE 'routerisk\\_%\\_tmp%'"), ["0"])
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        // The server notices the dropped connection and rolls the transaction back.
        var after: [String] = []
        for _ in 0..<50 {
            after = try psql(fingerprint)
            if try psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'routerisk' AND state LIKE 'idle in transaction%'") == ["0"] { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertEqual(after, before, "the previous tables are intact")
        XCTAssertEqual(try psql("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(schema)' AND c.relname LIKE '%\\_tmp%'"), ["0"])
    }

    /// A replay into PostGIS: routerisk_replay with its date-time columns and a run row.
    func testReplayToPostGIS() throws {
        let r = try CLI.assertExit(0, ["replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2024-01-01",
                                       "--step", "182d", "--format", "postgis", "--out", "PG:dbname=routerisk", "--schema", schema])
        XCTAssertTrue(r.stdout.contains("\(schema).routerisk_replay in PG:dbname=routerisk"), r.stdout)
        XCTAssertEqual(try psql("SELECT data_type FROM information_schema.columns WHERE table_schema = '\(schema)' AND table_name = 'routerisk_replay' AND column_name IN ('start', 'end') ORDER BY column_name"),
                       ["timestamp with time zone", "timestamp with time zone"])
        XCTAssertEqual(try psql("SELECT DISTINCT step FROM \(schema).routerisk_replay ORDER BY 1"), ["1", "2", "3"])
        XCTAssertEqual(try psql("SELECT command, jsonb_array_length(summary->'metrics'), model = summary->'summary'->>'model' FROM \(schema).routerisk_runs"), ["replay|3|t"])
        XCTAssertEqual(try psql("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = '\(schema)' AND f_table_name = 'routerisk_replay' AND useasdefault"), ["1"])
    }
}
