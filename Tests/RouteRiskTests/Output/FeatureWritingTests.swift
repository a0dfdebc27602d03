import XCTest
@testable import RouteRisk

/// The Swift WKB against GEOS's WKB writer, and a GeoJSON layer written in chunks against the same layer written
/// by one OGR dataset (bytes).
final class FeatureWritingTests: XCTestCase {
    func testWKBEqualsGEOSWriter() throws {
        let context = try GEOSContext()
        var rng = SplitMix64(seed: 17)
        func point() -> PlanarPoint { PlanarPoint(x: rng.uniform(-180, 180), y: rng.uniform(-90, 90)) }
        for _ in 0..<50 {
            let p = point()
            XCTAssertEqual(WKB.point(p), try Geometry.point(p, context: context).wkb)
            var ring = (0..<6).map { _ in point() }
            XCTAssertEqual(WKB.polygon(exterior: ring[...]), try Geometry.polygon(exterior: ring, context: context).wkb)
            ring.append(ring[0])  // already closed: not closed twice
            XCTAssertEqual(WKB.polygon(exterior: ring[...]), try Geometry.polygon(exterior: ring, context: context).wkb)
            let parts = (0..<Int(rng.uniform(1, 4))).map { _ in (0..<Int(rng.uniform(2, 9))).map { _ in point() } }
            for multi in [false, true] {
                XCTAssertEqual(WKB.lines(parts, multi: multi), try Geometry.lines(parts, context: context, multi: multi).wkb)
            }
        }
    }

    private func rows(_ count: Int) -> [(wkb: [UInt8]?, values: [FieldValue])] {
        var rng = SplitMix64(seed: 3)
        return (0..<count).map { i in
            let cx = rng.uniform(95, 140), cy = rng.uniform(-11, 6)
            let ring = (0..<6).map { k in
                PlanarPoint(x: cx + 0.01 * cos(Double(k) * .pi / 3), y: cy + 0.01 * sin(Double(k) * .pi / 3))
            }
            let values: [FieldValue] = [.integer(Int64(i)), .real(rng.uniform(-3, 3)), i % 7 == 0 ? .null : .string("c\(i % 5)")]
            return (WKB.polygon(exterior: ring[...]), values)
        }
    }

    private let fields: [FieldDefinition] = [.init(name: "q", kind: .integer), .init(name: "gi_z", kind: .real),
                                             .init(name: "emerging", kind: .string)]

    /// The layer as one OGR dataset writes it with the caller's options (RFC 7946): the reference.
    private func oneDataset(_ rows: [(wkb: [UInt8]?, values: [FieldValue])], geometry: OGRGeometryKind, at path: String) throws -> Data {
        let writer = try VectorWriter(driver: "GeoJSON", path: path)
        try FeatureWriter.writeLayer(writer, name: "hotspots", geometry: geometry, fields: fields,
                                     options: FeatureWriter.geoJSONLayerOptions, rows: rows)
        try writer.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testChunkedLayerIsByteIdenticalToOneDataset() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-chunks-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let all = rows(3 * GeoJSONChunks.minimumRowsPerChunk + 5)
        let whole = directory.appendingPathComponent("whole.geojson").path
        let chunked = directory.appendingPathComponent("chunked.geojson").path
        let a = try oneDataset(all, geometry: .polygon, at: whole)
        XCTAssertGreaterThan(a.count, 1_000_000)
        // Three chunks on three threads, and on two (chunks 0 and 2 on one thread: chunk 1 may come last); one chunk.
        for threads in [3, 2, 1] {
            XCTAssertEqual(GeoJSONChunks.chunkCount(rows: all.count, requested: threads), threads == 1 ? 1 : 3)
            try GeoJSONChunks.write(path: chunked, name: "hotspots", geometry: .polygon, fields: fields,
                                    options: FeatureWriter.geoJSONLayerOptions, rows: all, chunks: threads)
            let b = try Data(contentsOf: URL(fileURLWithPath: chunked))
            XCTAssertTrue(a == b, "chunked layer differs from the one-dataset layer (\(threads) threads)")
        }
        // Four chunks per thread when the rows allow.
        XCTAssertEqual(GeoJSONChunks.chunkCount(rows: 100 * GeoJSONChunks.minimumRowsPerChunk, requested: 2), 8)
        XCTAssertEqual(GeoJSONChunks.chunkCount(rows: 100 * GeoJSONChunks.minimumRowsPerChunk, requested: 1), 1)
        // No chunk file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
                       ["chunked.geojson", "whole.geojson"])
    }

    /// The chunks are written without RFC7946=YES (`GeoJSONChunks.Mode`): where that would change the text — a
    /// clockwise ring, which OGR turns under RFC 7946, and geometries near or across the antimeridian, which it
    /// cuts — the layer is still the one OGR writes with RFC 7946.
    func testChunkedLayerMatchesRFC7946WhereItTurnsOrCutsGeometries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-rfc7946-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let count = 2 * GeoJSONChunks.minimumRowsPerChunk + 7
        // Hexagons turned clockwise: as they are for OGR (which turns them), made counter-clockwise for the chunks
        // (as the score's cells are).
        func clockwise(turned: Bool) -> [(wkb: [UInt8]?, values: [FieldValue])] {
            rows(count).enumerated().map { i, row in
                let c = PlanarPoint(x: 95 + Double(i % 400) * 0.1, y: -11 + Double(i / 400) * 0.1)
                let ring = (0..<6).map { k in
                    PlanarPoint(x: c.x + 0.01 * cos(-Double(k) * .pi / 3), y: c.y + 0.01 * sin(-Double(k) * .pi / 3))
                }
                return (turned ? WKB.counterClockwisePolygon(exterior: ring[...]) : WKB.polygon(exterior: ring[...]), row.values)
            }
        }
        // Lines across the antimeridian in the last chunk (OGR cuts them into MultiLineStrings), and lines at 171° E
        // (within DATELINEOFFSET, never cut).
        func lines(_ x0: Double, _ x1: Double) -> [(wkb: [UInt8]?, values: [FieldValue])] {
            rows(count).enumerated().map { i, row in
                let y = -10 + Double(i) * 0.001
                let across = i > count - 10
                let line = [PlanarPoint(x: across ? x0 : 160, y: y), PlanarPoint(x: across ? x1 : 160.5, y: y + 0.01)]
                return (WKB.lines([line], multi: false), row.values)
            }
        }
        let chunked = directory.appendingPathComponent("chunked.geojson").path
        for (label, reference, layer, geometry) in [
            ("clockwise rings", clockwise(turned: false), clockwise(turned: true), OGRGeometryKind.polygon),
            ("across the antimeridian", lines(179.5, -179.5), lines(179.5, -179.5), .any),
            ("near the antimeridian", lines(171, 171.5), lines(171, 171.5), .any),
        ] {
            let a = try oneDataset(reference, geometry: geometry, at: directory.appendingPathComponent("whole.geojson").path)
            try GeoJSONChunks.write(path: chunked, name: "hotspots", geometry: geometry, fields: fields,
                                    options: FeatureWriter.geoJSONLayerOptions, rows: layer, chunks: 2)
            let b = try Data(contentsOf: URL(fileURLWithPath: chunked))
            XCTAssertTrue(a == b, "\(label): chunked layer differs from the RFC 7946 layer")
        }
        // The reference does cut: the lines across the antimeridian are MultiLineStrings there.
        let cut = try oneDataset(lines(179.5, -179.5), geometry: .any, at: directory.appendingPathComponent("cut.geojson").path)
        XCTAssertTrue(String(decoding: cut, as: UTF8.self).contains("MultiLineString"))
    }

    /// WKB.counterClockwisePolygon by hand: a clockwise unit square is reversed from its first vertex on, a
    /// counter-clockwise one (or one given closed) kept as it is.
    func testCounterClockwisePolygon() {
        func p(_ x: Double, _ y: Double) -> PlanarPoint { PlanarPoint(x: x, y: y) }
        let cw = [p(0, 0), p(0, 1), p(1, 1), p(1, 0)]
        let ccw = [p(0, 0), p(1, 0), p(1, 1), p(0, 1)]
        XCTAssertEqual(WKB.counterClockwisePolygon(exterior: cw[...]), WKB.polygon(exterior: ccw[...]))
        XCTAssertEqual(WKB.counterClockwisePolygon(exterior: (cw + [p(0, 0)])[...]), WKB.polygon(exterior: ccw[...]))
        XCTAssertEqual(WKB.counterClockwisePolygon(exterior: ccw[...]), WKB.polygon(exterior: ccw[...]))
        XCTAssertEqual(WKB.counterClockwisePolygon(exterior: (ccw + [p(0, 0)])[...]), WKB.polygon(exterior: ccw[...]))
    }

    /// The chunks' mode from the caller's layer options, and the bounds printed as OGR prints the layer bbox.
    func testModeFromLayerOptions() {
        let rfc = GeoJSONChunks.Mode(layerOptions: FeatureWriter.geoJSONLayerOptions)
        XCTAssertEqual(rfc.options, ["RFC7946=NO", "COORDINATE_PRECISION=7", "WRITE_BBOX=YES", "WRITE_NAME=NO"])
        XCTAssertFalse(rfc.referenced)
        XCTAssertEqual([0.5, -12.25, 141, 1e-8].map(rfc.printed), ["0.5000000", "-12.2500000", "141.0000000", "0.0000000"])
        XCTAssertTrue(rfc.accepts(LayerExtent(minX: -170, minY: -90, maxX: 170, maxY: 90)))
        XCTAssertFalse(rfc.accepts(LayerExtent(minX: 100, minY: 0, maxX: 170.5, maxY: 1)))
        XCTAssertFalse(rfc.accepts(LayerExtent(minX: -170.5, minY: 0, maxX: 0, maxY: 1)))
        XCTAssertFalse(rfc.accepts(LayerExtent(minX: 100, minY: -91, maxX: 101, maxY: 0)))
        XCTAssertFalse(rfc.accepts(LayerExtent(minX: 100, minY: 0, maxX: 101, maxY: 90.5)))
        XCTAssertEqual(GeoJSONChunks.Mode(layerOptions: ["RFC7946=YES", "COORDINATE_PRECISION=3"]).printed(0.25), "0.250")
        let plain = GeoJSONChunks.Mode(layerOptions: ["WRITE_BBOX=YES"])
        XCTAssertEqual(plain.options, ["WRITE_BBOX=YES"])
        XCTAssertTrue(plain.referenced)
        XCTAssertEqual([0.1, 1.0 / 3].map(plain.printed), ["0.1", "0.333333333333333"])
        XCTAssertTrue(plain.accepts(LayerExtent(minX: -180, minY: 0, maxX: 180, maxY: 1)))
    }

    func testJoinRefusesAnUnexpectedLayout() {
        let mode = GeoJSONChunks.Mode(layerOptions: FeatureWriter.geoJSONLayerOptions)
        let extent = LayerExtent(minX: 1, minY: 2, maxX: 3, maxY: 4)
        XCTAssertNil(GeoJSONChunks.join([Data("{\n\"type\": \"FeatureCollection\",\n\"features\": [\n{}\n]\n}\n".utf8)],
                                        extents: [extent], mode: mode))
        XCTAssertNil(GeoJSONChunks.join([Data("not json".utf8)], extents: [extent], mode: mode))
        let good = "{\n\"type\": \"FeatureCollection\",\n\"bbox\": [ 1.0, 2.0, 3.0, 4.0 ]," + String(repeating: " ", count: 40)
            + "\n\"features\": [\n{ }\n]\n}\n"
        XCTAssertNotNil(GeoJSONChunks.join([Data(good.utf8)], extents: [extent], mode: mode))
        // No extent (no geometry), or one extent for two chunks: no join.
        XCTAssertNil(GeoJSONChunks.join([Data(good.utf8)], extents: [nil], mode: mode))
        XCTAssertNil(GeoJSONChunks.join([Data(good.utf8), Data(good.utf8)], extents: [extent], mode: mode))
        // Two chunks: the bbox is the union of the extents (the printed bounds are not read), the features in order.
        let other = good.replacingOccurrences(of: "{ }", with: "{ \"x\": 1 }")
        let joined = GeoJSONChunks.join([Data(good.utf8), Data(other.utf8)],
                                        extents: [extent, LayerExtent(minX: 0.5, minY: 2.5, maxX: 3, maxY: 4.5)], mode: mode)
        let line = "\"bbox\": [ 0.5000000, 2.0000000, 3.0000000, 4.5000000 ],"
        XCTAssertEqual(joined.map { String(decoding: $0, as: UTF8.self) },
                       "{\n\"type\": \"FeatureCollection\",\n" + line + String(repeating: " ", count: 71 - line.count)
                           + "\n\"features\": [\n{ },\n{ \"x\": 1 }\n]\n}\n")
        // A bbox line too narrow for the printed union: no join.
        let narrow = good.replacingOccurrences(of: String(repeating: " ", count: 40), with: "   ")
        XCTAssertNil(GeoJSONChunks.join([Data(narrow.utf8)], extents: [extent], mode: mode))
    }

    /// The assembly of chunk texts into one file, the chunks coming in every order (worked by hand: the first chunk
    /// whole, the others' features after `,\n`, the union bbox in the first chunk's header line, the trailer).
    func testAssemblyPlacesTheChunksInOrderWhateverOrderTheyComeIn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-assembly-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mode = GeoJSONChunks.Mode(layerOptions: FeatureWriter.geoJSONLayerOptions)
        let good = "{\n\"type\": \"FeatureCollection\",\n\"bbox\": [ 1, 2, 3, 4 ]," + String(repeating: " ", count: 50)
            + "\n\"features\": [\n{ }\n]\n}\n"
        let texts = [good,
                     good.replacingOccurrences(of: "{ }", with: "{ \"x\": 1 }"),
                     good.replacingOccurrences(of: "{ }", with: "{ \"x\": 2 },\n{ \"x\": 3 }")]
        let extents = [LayerExtent(minX: 1, minY: 2, maxX: 3, maxY: 4), LayerExtent(minX: 0.5, minY: 2.5, maxX: 3, maxY: 4.5),
                       LayerExtent(minX: 1.5, minY: 1, maxX: 3.5, maxY: 4)]
        let path = directory.appendingPathComponent("layer.geojson").path
        let line = "\"bbox\": [ 0.5000000, 1.0000000, 3.5000000, 4.5000000 ],"
        let expected = "{\n\"type\": \"FeatureCollection\",\n" + line + String(repeating: " ", count: 73 - line.count)
            + "\n\"features\": [\n{ },\n{ \"x\": 1 },\n{ \"x\": 2 },\n{ \"x\": 3 }\n]\n}\n"
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let assembly = try GeoJSONChunks.Assembly(path: path, chunks: 3, mode: mode)
            for c in order { try assembly.add(c, MemoryText(Array(texts[c].utf8)), extent: extents[c]) }
            XCTAssertTrue(try assembly.finish())
            XCTAssertEqual(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self), expected, "\(order)")
        }
        // A chunk without the trailer: false (the caller writes the layer with one dataset).
        let broken = try GeoJSONChunks.Assembly(path: path, chunks: 2, mode: mode)
        try broken.add(0, MemoryText(Array(texts[0].utf8)), extent: extents[0])
        try broken.add(1, MemoryText(Array(texts[1].dropLast(3).utf8)), extent: extents[1])
        XCTAssertTrue(broken.stopped)
        XCTAssertFalse(try broken.finish())
        // A chunk reaching beyond 170° E under RFC 7946 (the antimeridian's cut is OGR's): false.
        let east = try GeoJSONChunks.Assembly(path: path, chunks: 2, mode: mode)
        try east.add(0, MemoryText(Array(texts[0].utf8)), extent: LayerExtent(minX: 169, minY: 0, maxX: 171, maxY: 1))
        XCTAssertTrue(east.stopped)
        XCTAssertFalse(try east.finish())
        // A chunk missing: false.
        let missing = try GeoJSONChunks.Assembly(path: path, chunks: 2, mode: mode)
        try missing.add(1, MemoryText(Array(texts[1].utf8)), extent: extents[1])
        XCTAssertFalse(try missing.finish())
        // A write that fails (a full disk) is an error naming the file.
        let full = try GeoJSONChunks.Assembly(path: "/dev/full", chunks: 2, mode: mode)
        XCTAssertThrowsError(try full.add(0, MemoryText(Array(texts[0].utf8)), extent: extents[0])) { error in
            XCTAssertTrue("\(error)".contains("/dev/full"), "\(error)")
        }
        XCTAssertThrowsError(try GeoJSONChunks.Assembly(path: directory.appendingPathComponent("no/such/dir.geojson").path, chunks: 2, mode: mode))
    }
}
