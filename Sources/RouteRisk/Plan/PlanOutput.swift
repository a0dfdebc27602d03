import Foundation

/// Writes a plan into `--out` (MODEL §14): `plan.geojson` (or `plan.gpkg`, layer `plan`, with
/// `--format gpkg`), `plan-summary.json` and the brief `plan.html`; all or nothing.
public struct PlanOutput {
    public let directory: URL
    public let format: OutputFormat
    public let overwrite: Bool

    public init(directory: URL, format: OutputFormat, overwrite: Bool) {
        self.directory = directory
        self.format = format
        self.overwrite = overwrite
    }

    public var fileNames: [String] {
        [format == .gpkg ? "plan.gpkg" : "plan.geojson", "plan-summary.json", "plan.html"]
    }

    public func checkWritable() throws {
        try AtomicOutput(directory: directory, overwrite: overwrite).checkWritable(fileNames)
    }

    @discardableResult
    public func write(_ result: PlanResult) throws -> PlanSummary {
        var output = AtomicOutput(directory: directory, overwrite: overwrite)
        try output.checkWritable(fileNames)
        do {
            let url = try output.stage(fileNames[0])
            try Self.writeLayer(result, to: url, format: format)
            let summary = PlanSummary(result)
            try output.stageData(try summary.jsonData(), as: "plan-summary.json")
            try output.stageData(Data(PlanPage.html(result).utf8), as: "plan.html")
            try output.commit()
            return summary
        } catch let error as RunError {
            output.discard()
            throw error
        } catch {
            output.discard()
            throw RunError.cannotWrite("\(directory.path): \(error)")
        }
    }

    static let fields: [FieldDefinition] = [
        .init(name: "team", kind: .integer), .init(name: "site_lon", kind: .real), .init(name: "site_lat", kind: .real),
        .init(name: "q", kind: .integer), .init(name: "r", kind: .integer),
        .init(name: "covered_expected", kind: .real), .init(name: "share", kind: .real),
        .init(name: "routes", kind: .string), .init(name: "nearest_post", kind: .string),
        .init(name: "nearest_post_km", kind: .real), .init(name: "explanation", kind: .string),
    ]

    /// One feature per team: its disc (the GEOS buffer of the site by ρ, inverse-projected);
    /// `routes` as ids joined by commas, in rank order.
    static func writeLayer(_ result: PlanResult, to url: URL, format: OutputFormat) throws {
        let context = try GEOSContext()
        let rows: [(wkb: [UInt8]?, values: [FieldValue])] = try result.teams.map { t in
            (try Geometry.polygon(exterior: t.discLonLat, context: context).wkb, [
                .integer(Int64(t.team)), .real(t.siteLonLat.x), .real(t.siteLonLat.y), .integer(Int64(t.q)),
                .integer(Int64(t.r)), .real(t.coveredExpected), .real(t.share), .string(t.routes.joined(separator: ",")),
                t.nearestPost.map(FieldValue.string) ?? .null, t.nearestPostKm.map(FieldValue.real) ?? .null,
                .string(t.explanation),
            ])
        }
        let writer = try VectorWriter(driver: format == .gpkg ? "GPKG" : "GeoJSON", path: url.path)
        try FeatureWriter.writeLayer(
            writer, name: "plan", geometry: .polygon, fields: fields,
            options: format == .gpkg ? [] : FeatureWriter.geoJSONLayerOptions, rows: rows)
        try writer.close()
    }
}

extension TextReport {
    /// The plan table (team, site, covered expected, share, routes) and the totals line.
    public static func planReport(_ result: PlanResult, files: [String]) -> String {
        let s = result.solution
        var lines = [
            "routerisk plan — as of \(Timestamp.isoDate(result.asOf)); \(result.plan.teams) teams, radius \(Explanation.number(result.plan.radius / 1000)) km, \(result.candidateSites) candidate sites (\(result.usefulSites) cover demand), demand: \(result.demandUnit)",
            "",
        ]
        let header = ["team", "site", "covered expected", "share", "routes"]
        let rows = result.teams.map { t -> [String] in
            [
                String(t.team), PlanExplanation.coordinates(t.siteLonLat), String(format: "%.3f", t.coveredExpected),
                ReplayFormat.percent(t.share),
                t.routes.isEmpty ? "–" : truncate(t.routes.joined(separator: ","), 48),
            ]
        }
        lines += table(header: header, rows: rows, rightAligned: [0, 2, 3])
        lines.append("")
        let gapText = s.gap < 1e-4 ? String(format: "%.1e", s.gap) : String(format: "%.4f", s.gap)
        lines.append(String(
            format: "total %.3f of %.3f (plan_share %@); bound %.3f, gap %@; status %@ (%@, %.2f s)",
            s.objective, result.demandTotal, ReplayFormat.percent(result.planShare) as NSString, s.bound,
            gapText as NSString, s.status.rawValue as NSString,
            (result.plan.solver == .greedy ? "greedy" : "GLPK \(MixedIntegerProgram.solverVersion)") as NSString, s.seconds))
        for line in result.sitesSkipped.prefix(10) { lines.append("note: \(line)") }
        if result.sitesSkipped.count > 10 { lines.append("note: … and \(result.sitesSkipped.count - 10) more sites skipped (see plan-summary.json)") }
        lines.append("wrote " + files.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
