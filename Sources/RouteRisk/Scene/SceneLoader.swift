import Foundation

/// Reads the five layers of a scene through GDAL/OGR (and the CSV reader for `.csv`
/// interceptions) and checks every rule of MODEL §1.
public struct SceneLoader {
    public let now: Double
    /// CRS of sources that declare none (`--crs-in`); nil: lon/lat WGS84.
    public let inputCRS: String?

    public init(now: Double, inputCRS: String? = nil) {
        self.now = now
        self.inputCRS = inputCRS
    }

    /// Loads every layer; throws `RunError.missingInput` for a missing file or layer.
    /// Problems are collected in `scene.problems`; whether they stop the run is the caller's choice.
    public func load(_ layers: [LayerName: URL]) throws -> Scene {
        try load(layers.mapValues { LayerSource(url: $0) })
    }

    /// Loads every layer from files or GDAL connection strings (`PG:…|layername=schema.table`);
    /// an unreachable server, a failed login or an absent layer is `RunError.missingInput` (66).
    public func load(_ layers: [LayerName: LayerSource]) throws -> Scene {
        var scene = Scene()
        let required: [LayerName] = [.coastline, .borders, .posts, .routes, .interceptions]
        let missing = required.filter { layers[$0] == nil }
        if !missing.isEmpty {
            throw RunError.missingInput(
                "no \(missing.map(\.rawValue).joined(separator: ", ")) layer: give --scene DIR (with a scene.toml) or --\(missing[0].rawValue) FILE")
        }
        for name in required {
            let source = layers[name]!
            if let url = source.fileURL, !FileManager.default.fileExists(atPath: url.path) {
                throw RunError.missingInput("\(url.path): file not found (the \(name.rawValue) layer)")
            }
            scene.paths[name] = source.description
        }
        // The layers do not depend on one another: three parts (coastline, borders and posts; the routes; the
        // interceptions), each with its own GEOS context (GDAL's error state is per thread, PROJ's per
        // transformer), joined in the layer order of a one-thread pass: the problems come in the same order, and
        // the error thrown is the first failing layer's.
        @Sendable func read(_ part: Int) -> Result<Scene, Error> {
            Result {
                let context = try GEOSContext()
                var scene = Scene()
                switch part {
                case 0:
                    scene.coastline = try loadLines(layers[.coastline]!, layer: .coastline, allowPolygons: true,
                                                    context: context, into: &scene)
                    scene.borders = try loadLines(layers[.borders]!, layer: .borders, allowPolygons: false,
                                                  context: context, into: &scene)
                    scene.posts = try loadPosts(layers[.posts]!, context: context, into: &scene)
                case 1:
                    scene.routes = try loadRoutes(layers[.routes]!, context: context, into: &scene)
                default:
                    scene.interceptions = try loadInterceptions(layers[.interceptions]!, context: context, into: &scene)
                }
                return scene
            }
        }
        // The geometry layers (GDAL's parsers) on two background threads, the interceptions on this one: its own
        // parallel loops (the CSV's pieces, the rows' checks) then take the cores as the others finish. Run as one
        // parallel loop of three parts, the CSV's loops were nested in it, and libdispatch gives a nested loop one
        // thread: the CSV was read on one core while the other sat idle. (One thread: the parts in order.)
        let ((coastal, routes), interceptions) = Parallelism.alongside({
            Parallelism.alongside({ read(0) }) { read(1) }
        }) { read(2) }
        let parts = [coastal, routes, interceptions]
        for (k, result) in parts.enumerated() {
            let part = try result.get()
            switch k {
            case 0: (scene.coastline, scene.borders, scene.posts) = (part.coastline, part.borders, part.posts)
            case 1: scene.routes = part.routes
            default: scene.interceptions = part.interceptions
            }
            scene.problems += part.problems
            scene.counts.merge(part.counts) { first, _ in first }
            scene.declaredCRS.merge(part.declaredCRS) { first, _ in first }
        }
        return scene
    }

    /// Reads an OGR point layer of candidate sites (`routerisk plan --sites`, MODEL §14) in lon/lat,
    /// in file order; a feature that is not a valid point is a problem (file, feature, reason).
    /// Only positions are read: no field of the layer reaches an output.
    func loadSites(_ url: URL) throws -> (sites: [(position: PlanarPoint, location: SourceLocation)], problems: [DataProblem]) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RunError.missingInput("\(url.path): file not found (the --sites layer)")
        }
        let input = LayerSource(url: url)
        let source: VectorSource
        do {
            source = try VectorSource(dataset: input.dataset, layerName: input.layerName, orderByFID: input.isConnection)
        } catch let error as VectorSourceError {
            throw RunError.unusable(["\(url.path): cannot read the --sites layer: \(GDAL.oneLine(error.message))"])
        }
        let transformer = try lonLatTransformer(declared: source.isLonLat ? nil : source.crsWKT, path: url.path)
        let context = try GEOSContext()
        var sites: [(position: PlanarPoint, location: SourceLocation)] = []
        var problems: [DataProblem] = []
        let file = input.description
        for feature in source.features {
            let where_ = location(file, input, source, feature)
            switch check(feature, accept: [.point], transformer: transformer, context: context) {
            case .point(let p): sites.append((p, where_))
            case .problem(let reason): problems.append(DataProblem(location: where_, reason: reason))
            case .lines: problems.append(DataProblem(location: where_, reason: "wrong geometry type (expected point)"))
            }
        }
        return (sites, problems)
    }

    // MARK: Sources

    private func open(_ input: LayerSource, layer: LayerName, into scene: inout Scene) throws -> (VectorSource, CoordinateTransformer?) {
        let source: VectorSource
        do {
            source = try VectorSource(dataset: input.dataset, layerName: input.layerName, orderByFID: input.isConnection)
        } catch let error as VectorSourceError {
            let message = ConnectionString.masked(GDAL.oneLine(error.message), about: input.dataset)
            switch error.kind {
            case .connection:
                throw RunError.missingInput("\(input): cannot connect to the database of the \(layer.rawValue) layer: \(message)")
            case .layerNotFound:
                throw RunError.missingInput("\(input): \(message) (the \(layer.rawValue) layer)")
            case .cannotOpen:
                if input.isConnection {
                    throw RunError.missingInput("\(input): cannot open the \(layer.rawValue) layer: \(message)")
                }
                throw RunError.unusable(["\(input): cannot read the \(layer.rawValue) layer: \(message)"])
            }
        }
        scene.declaredCRS[layer] = source.crsWKT
        return (source, try lonLatTransformer(declared: source.isLonLat ? nil : source.crsWKT, path: input.description))
    }

    /// A transformer to lon/lat for a source in another CRS (declared, or `--crs-in`).
    private func lonLatTransformer(declared: String?, path: String) throws -> CoordinateTransformer? {
        guard let from = declared ?? inputCRS else { return nil }
        do {
            return try CoordinateTransformer(from: from, to: "EPSG:4326")
        } catch let error as ProjectionError {
            throw RunError.usage("\(path): cannot convert its CRS to lon/lat: \(error.message)")
        }
    }

    // MARK: Geometry checks

    private enum GeometryCheck {
        case lines([[PlanarPoint]], isMulti: Bool, repaired: Bool)
        case point(PlanarPoint)
        case problem(String)
    }

    private func check(_ feature: VectorFeature, accept: Set<Geometry.Kind>, transformer: CoordinateTransformer?, context: GEOSContext) -> GeometryCheck {
        guard let wkb = feature.wkb else { return .problem("no geometry") }
        do {
            var geometry = try Geometry.fromWKB(wkb, context: context)
            let kind = try geometry.kind
            guard accept.contains(kind) else {
                let names = accept.map { "\($0)" }.sorted().joined(separator: " or ")
                return .problem("wrong geometry type \(kind) (expected \(names))")
            }
            if try geometry.isEmpty { return .problem("empty geometry") }
            if kind == .point {
                guard var p = try geometry.coordinates.first else { return .problem("empty geometry") }
                if let transformer { p = try transformer.transformed([p])[0] }
                if let reason = lonLatProblem(p) { return .problem(reason) }
                return .point(p)
            }
            var repaired = false
            if try !geometry.isValid {
                geometry = try geometry.makeValid()
                repaired = true
            }
            var parts = try geometry.linearParts()
            if let transformer { parts = try parts.map { try transformer.transformed($0) } }
            for part in parts {
                for p in part { if let reason = lonLatProblem(p) { return .problem(reason) } }
            }
            let length = parts.reduce(0.0) { total, part in
                zip(part, part.dropFirst()).reduce(total) { $0 + $1.0.distance(to: $1.1) }
            }
            if parts.isEmpty || length == 0 { return .problem("zero-length geometry") }
            let isMulti = kind == .multiLineString || kind == .multiPolygon || parts.count > 1
            return .lines(parts, isMulti: isMulti, repaired: repaired)
        } catch {
            return .problem("unreadable geometry: \(error)")
        }
    }

    private func lonLatProblem(_ p: PlanarPoint) -> String? {
        guard p.x.isFinite, p.y.isFinite else { return "non-finite coordinate" }
        if abs(p.x) <= 180 && abs(p.y) <= 90 { return nil }
        let swapped = abs(p.y) <= 180 && abs(p.x) <= 90 ? " (lat and lon look swapped?)" : ""
        if abs(p.y) > 90 { return "latitude \(p.y) is outside −90…90\(swapped)" }
        return "longitude \(p.x) is outside −180…180\(swapped)"
    }

    /// A file's feature by its position; a database row by its key (`ogc_fid=17`), which is what
    /// an analyst looks up in the table.
    /// `file` is `input.description`, made once per layer (it masks a connection string's password).
    private func location(_ file: String, _ input: LayerSource, _ source: VectorSource, _ feature: VectorFeature) -> SourceLocation {
        if input.isConnection, let fid = feature.fid {
            let column = source.fidColumn.isEmpty ? "fid" : source.fidColumn
            return SourceLocation(file: file, line: nil, feature: feature.index + 1, key: "\(column)=\(fid)")
        }
        return SourceLocation(file: file, line: nil, feature: feature.index + 1)
    }

    // MARK: Layers

    private func loadLines(_ url: LayerSource, layer: LayerName, allowPolygons: Bool, context: GEOSContext, into scene: inout Scene) throws -> [LineFeature] {
        let (source, transformer) = try open(url, layer: layer, into: &scene)
        var accept: Set<Geometry.Kind> = [.lineString, .multiLineString]
        if allowPolygons { accept.formUnion([.polygon, .multiPolygon]) }
        var count = LayerCount()
        var lines: [LineFeature] = []
        let file = url.description
        for feature in source.features {
            count.read += 1
            let where_ = location(file, url, source, feature)
            switch check(feature, accept: accept, transformer: transformer, context: context) {
            case .lines(let parts, let isMulti, let repaired):
                if repaired { count.repaired += 1 }
                count.used += 1
                lines.append(LineFeature(parts: parts, isMulti: isMulti, location: where_))
            case .problem(let reason):
                count.skipped += 1
                scene.problems.append(DataProblem(location: where_, reason: reason))
            case .point:
                count.skipped += 1
            }
        }
        scene.counts[layer] = count
        return lines
    }

    private func field(_ feature: VectorFeature, _ name: String) -> FieldValue? {
        if let v = feature.fields[name] { return v }
        let lower = name.lowercased()
        return feature.fields.first { $0.key.lowercased() == lower }?.value
    }

    private func loadPosts(_ url: LayerSource, context: GEOSContext, into scene: inout Scene) throws -> [Post] {
        let (source, transformer) = try open(url, layer: .posts, into: &scene)
        var count = LayerCount()
        var posts: [Post] = []
        let file = url.description
        for feature in source.features {
            count.read += 1
            let where_ = location(file, url, source, feature)
            var reason: String?
            var position: PlanarPoint?
            switch check(feature, accept: [.point], transformer: transformer, context: context) {
            case .point(let p): position = p
            case .problem(let r): reason = r
            case .lines: reason = "wrong geometry type"
            }
            let name = field(feature, "name")?.text?.trimmingCharacters(in: .whitespaces) ?? ""
            let kindText = field(feature, "kind")?.text?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if reason == nil && name.isEmpty { reason = "post without a name" }
            if reason == nil && PostKind(rawValue: kindText) == nil {
                reason = kindText.isEmpty ? "post '\(name)' has no kind (expected land or sea)"
                    : "post '\(name)' has kind '\(kindText)' (expected land or sea)"
            }
            if let reason {
                count.skipped += 1
                scene.problems.append(DataProblem(location: where_, reason: reason))
                continue
            }
            count.used += 1
            posts.append(Post(name: name, kind: PostKind(rawValue: kindText)!, position: position!, location: where_))
        }
        scene.counts[.posts] = count
        return posts
    }

    private func loadRoutes(_ url: LayerSource, context: GEOSContext, into scene: inout Scene) throws -> [RouteFeature] {
        let (source, transformer) = try open(url, layer: .routes, into: &scene)
        var count = LayerCount()
        var routes: [RouteFeature] = []
        // MODEL §1: ids compare by Unicode code point, not by String's canonical equivalence.
        var firstSeen: [CodePointKey: String] = [:]
        let file = url.description
        for feature in source.features {
            count.read += 1
            let where_ = location(file, url, source, feature)
            let id = field(feature, "id")?.text?.trimmingCharacters(in: .whitespaces) ?? ""
            var reason: String?
            var line: LineFeature?
            switch check(feature, accept: [.lineString, .multiLineString], transformer: transformer, context: context) {
            case .lines(let parts, let isMulti, let repaired):
                if repaired { count.repaired += 1 }
                line = LineFeature(parts: parts, isMulti: isMulti, location: where_)
            case .problem(let r): reason = r
            case .point: reason = "wrong geometry type"
            }
            if reason == nil && id.isEmpty { reason = "route without an id" }
            let key = CodePointKey(string: id)
            if reason == nil, let first = firstSeen[key] {
                reason = "duplicate route id '\(id)' (first at feature \(first))"
            }
            // Every feature that carries an id claims it, valid or not (as for interceptions):
            // the first occurrence stands, each later one is the error.
            if !id.isEmpty && firstSeen[key] == nil { firstSeen[key] = where_.key ?? String(feature.index + 1) }
            if let reason {
                count.skipped += 1
                scene.problems.append(DataProblem(location: where_, reason: reason))
                continue
            }
            let name = field(feature, "name")?.text.flatMap { $0.isEmpty ? nil : $0 } ?? id
            count.used += 1
            routes.append(RouteFeature(id: id, name: name, line: line!))
        }
        scene.counts[.routes] = count
        return routes
    }

    private func loadInterceptions(_ url: LayerSource, context: GEOSContext, into scene: inout Scene) throws -> [Interception] {
        var events: [Interception] = []
        var problems: [DataProblem] = []
        var count = LayerCount()
        if url.isCSVFile, let file = url.fileURL {
            let table = try CSVTable.read(contentsOf: file)
            (events, problems) = try InterceptionCSVReader.read(table: table, file: file.path, now: now)
            count.read = table.rows.count
            if inputCRS != nil {
                // CSV has no CRS of its own; --crs-in applies to OGR sources only (docs/MODEL-NOTES.md).
                throw RunError.usage("\(file.path): --crs-in applies to OGR layers; CSV interceptions are lon/lat WGS84")
            }
        } else {
            let (source, transformer) = try open(url, layer: .interceptions, into: &scene)
            var validator = InterceptionValidator(file: url.description, now: now)
            let file = url.description
            for feature in source.features {
                count.read += 1
                let where_ = location(file, url, source, feature)
                var position: PlanarPoint?
                switch check(feature, accept: [.point], transformer: transformer, context: context) {
                case .point(let p): position = p
                case .problem(let r):
                    problems.append(DataProblem(location: where_, reason: r))
                    continue
                case .lines:
                    problems.append(DataProblem(location: where_, reason: "wrong geometry type"))
                    continue
                }
                let result = validator.validate(
                    id: field(feature, "id")?.text, date: field(feature, "date")?.text,
                    lon: position!.x, lat: position!.y, persons: field(feature, "persons")?.text,
                    category: field(feature, "category")?.text, mode: field(feature, "mode")?.text,
                    location: where_)
                switch result {
                case .success(let event): events.append(event)
                case .failure(let problem): problems.append(problem)
                }
            }
        }
        count.skipped = problems.count
        count.used = events.count
        scene.problems += problems
        scene.counts[.interceptions] = count
        return events
    }
}
