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

    func testChunkedLayerIsByteIdenticalToOneDataset() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-chunks-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let all = rows(3 * GeoJSONChunks.minimumRowsPerChunk + 5)
        let whole = directory.appendingPathComponent("whole.geojson").path
        let chunked = directory.appendingPathComponent("chunked.geojson").path
        try GeoJSONChunks.write(path: whole, name: "hotspots", geometry: .polygon, fields: fields,
                                options: FeatureWriter.geoJSONLayerOptions, rows: all, chunks: 1)
        let a = try Data(contentsOf: URL(fileURLWithPath: whole))
        XCTAssertGreaterThan(a.count, 1_000_000)
        // Three chunks on three threads, and on two (chunks 0 and 2 on one thread: chunk 1 may come last).
        for threads in [3, 2] {
            XCTAssertEqual(GeoJSONChunks.chunkCount(rows: all.count, requested: threads), 3)
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

    func testJoinRefusesAnUnexpectedLayout() {
        XCTAssertNil(GeoJSONChunks.join([Data("{\n\"type\": \"FeatureCollection\",\n\"features\": [\n{}\n]\n}\n".utf8)]))
        XCTAssertNil(GeoJSONChunks.join([Data("not json".utf8)]))
        let good = "{\n\"type\": \"FeatureCollection\",\n\"bbox\": [ 1.0, 2.0, 3.0, 4.0 ],    \n\"features\": [\n{ }\n]\n}\n"
        XCTAssertNotNil(GeoJSONChunks.join([Data(good.utf8)]))
        // Two chunks: the bbox is the union, the features joined in order.
        let other = good.replacingOccurrences(of: "1.0, 2.0, 3.0, 4.0", with: "0.5, 2.5, 3.0, 4.5")
            .replacingOccurrences(of: "{ }", with: "{ \"x\": 1 }")
        let joined = GeoJSONChunks.join([Data(good.utf8), Data(other.utf8)]).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(joined, "{\n\"type\": \"FeatureCollection\",\n\"bbox\": [ 0.5, 2.0, 3.0, 4.5 ],    \n\"features\": [\n{ },\n{ \"x\": 1 }\n]\n}\n")
        // Across the antimeridian (min x > max x): OGR merges such bboxes by RFC 7946's rules, so no join.
        let across = good.replacingOccurrences(of: "1.0, 2.0, 3.0, 4.0", with: "179.5, 2.0, -179.5, 4.0")
        XCTAssertNil(GeoJSONChunks.join([Data(good.utf8), Data(across.utf8)]))
    }

    /// The assembly of chunk texts into one file, the chunks coming in every order (worked by hand: the first chunk
    /// whole, the others' features after `,\n`, the union bbox in the first chunk's header line, the trailer).
    func testAssemblyPlacesTheChunksInOrderWhateverOrderTheyComeIn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-assembly-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = "{\n\"type\": \"FeatureCollection\",\n\"bbox\": [ 1.0, 2.0, 3.0, 4.0 ],    \n\"features\": [\n{ }\n]\n}\n"
        let texts = [good,
                     good.replacingOccurrences(of: "1.0, 2.0, 3.0, 4.0", with: "0.5, 2.5, 3.0, 4.5")
                         .replacingOccurrences(of: "{ }", with: "{ \"x\": 1 }"),
                     good.replacingOccurrences(of: "1.0, 2.0, 3.0, 4.0", with: "1.5, 1.0, 3.5, 4.0")
                         .replacingOccurrences(of: "{ }", with: "{ \"x\": 2 },\n{ \"x\": 3 }")]
        let path = directory.appendingPathComponent("layer.geojson").path
        let expected = "{\n\"type\": \"FeatureCollection\",\n\"bbox\": [ 0.5, 1.0, 3.5, 4.5 ],    \n\"features\": [\n"
            + "{ },\n{ \"x\": 1 },\n{ \"x\": 2 },\n{ \"x\": 3 }\n]\n}\n"
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let assembly = try GeoJSONChunks.Assembly(path: path, chunks: 3)
            for c in order { try assembly.add(c, MemoryText(Array(texts[c].utf8))) }
            XCTAssertTrue(try assembly.finish())
            XCTAssertEqual(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self), expected, "\(order)")
        }
        // A chunk without the trailer: false (the caller writes the layer with one dataset).
        let broken = try GeoJSONChunks.Assembly(path: path, chunks: 2)
        try broken.add(0, MemoryText(Array(texts[0].utf8)))
        try broken.add(1, MemoryText(Array(texts[1].dropLast(3).utf8)))
        XCTAssertTrue(broken.stopped)
        XCTAssertFalse(try broken.finish())
        // A chunk missing: false.
        let missing = try GeoJSONChunks.Assembly(path: path, chunks: 2)
        try missing.add(1, MemoryText(Array(texts[1].utf8)))
        XCTAssertFalse(try missing.finish())
        // A write that fails (a full disk) is an error naming the file.
        let full = try GeoJSONChunks.Assembly(path: "/dev/full", chunks: 2)
        XCTAssertThrowsError(try full.add(0, MemoryText(Array(texts[0].utf8)))) { error in
            XCTAssertTrue("\(error)".contains("/dev/full"), "\(error)")
        }
        XCTAssertThrowsError(try GeoJSONChunks.Assembly(path: directory.appendingPathComponent("no/such/dir.geojson").path, chunks: 2))
    }
}
