import XCTest
@testable import RouteRisk

/// `SceneLoader` reads its layers concurrently; what it reports must be what one layer after another gives:
/// the problems in layer order (coastline, borders, posts, routes, interceptions), then file order, and the
/// error of the first failing layer in that order.
final class SceneLoaderOrderTests: XCTestCase {
    private var dir: URL!
    private var savedThreads = 1

    override func setUpWithError() throws {
        savedThreads = Parallelism.threadCount
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-order-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in LayerName.allCases {
            let file = name == .interceptions ? "interceptions.csv" : "\(name.rawValue).geojson"
            try FileManager.default.copyItem(at: LayerFuzzRegressionTests.tiny.appendingPathComponent(file),
                                             to: dir.appendingPathComponent(file))
        }
    }

    override func tearDownWithError() throws {
        Parallelism.threadCount = savedThreads
        try? FileManager.default.removeItem(at: dir)
    }

    private var layers: [LayerName: URL] {
        var layers: [LayerName: URL] = [:]
        for name in LayerName.allCases {
            layers[name] = dir.appendingPathComponent(name == .interceptions ? "interceptions.csv" : "\(name.rawValue).geojson")
        }
        return layers
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Appends one bad row or feature to each layer but the borders.
    private func spoilEveryLayer() throws {
        try write("coastline.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[109.5,0.5],[110.5,0.5]]}},
            {"type":"Feature","properties":{},"geometry":null}
            ]}
            """)
        try write("posts.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"","kind":"land"},"geometry":{"type":"Point","coordinates":[110.3,1.0]}}
            ]}
            """)
        try write("routes.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"R1"},"geometry":{"type":"LineString","coordinates":[[110.2,0.8],[110.2,1.2]]}},
            {"type":"Feature","properties":{"id":""},"geometry":{"type":"LineString","coordinates":[[109.8,0.3],[109.8,0.7]]}}
            ]}
            """)
        let csv = try String(contentsOf: dir.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        try write("interceptions.csv", csv + "E9999,2024-13-01,110.2,0.85,1,smuggling_of_migrants,land\n")
    }

    func testProblemsComeInLayerOrderWhateverTheThreads() throws {
        try spoilEveryLayer()
        var seen: [[String]] = []
        for threads in [1, 2, 4] {
            Parallelism.threadCount = threads
            let scene = try SceneLoader(now: 1_800_000_000).load(layers)
            seen.append(scene.problems.map(\.description))
        }
        let files = seen[0].map { String($0.prefix { $0 != ":" }).split(separator: "/").last.map(String.init) ?? "" }
        XCTAssertEqual(files, ["coastline.geojson", "posts.geojson", "routes.geojson", "interceptions.csv"], "\(seen[0])")
        XCTAssertEqual(seen[1], seen[0])
        XCTAssertEqual(seen[2], seen[0])
    }

    func testTheFirstFailingLayersErrorIsThrownWhateverTheThreads() throws {
        // The routes cannot be read and the interceptions have no date column: the routes come first.
        try write("routes.geojson", "{\"type\": \"FeatureCollection\", \"features\": [")
        try write("interceptions.csv", "id,lon,lat\nE1,110.2,0.85\n")
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            XCTAssertThrowsError(try SceneLoader(now: 1_800_000_000).load(layers)) { error in
                guard case RunError.unusable(let lines) = error else { return XCTFail("\(threads) threads: \(error)") }
                XCTAssertTrue(lines.first?.contains("routes.geojson: cannot read the routes layer") ?? false, "\(lines)")
            }
        }
        // With the routes mended, the interceptions' error is the one.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("routes.geojson"))
        try FileManager.default.copyItem(at: LayerFuzzRegressionTests.tiny.appendingPathComponent("routes.geojson"),
                                         to: dir.appendingPathComponent("routes.geojson"))
        Parallelism.threadCount = 2
        XCTAssertThrowsError(try SceneLoader(now: 1_800_000_000).load(layers)) { error in
            XCTAssertTrue("\(error)".contains("date"), "\(error)")
        }
    }
}
