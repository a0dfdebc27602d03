import Foundation
import FuzzSupport
import RouteRisk

/// Bytes → a temporary GeoJSON or KML file → loaded as one layer of a scene through OGR into
/// GEOS (geometry checks, MakeValid, MODEL §1 rules). The first byte chooses the layer and the
/// format; the other four layers are those of Fuzz/Fixture.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLayer(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count >= 1 else { return 0 }
    let layers: [LayerName] = [.coastline, .borders, .posts, .routes, .interceptions]
    let layer = layers[Int(start[0]) % layers.count]
    let ext = (start[0] / 5) % 2 == 0 ? "geojson" : "kml"
    let file = Invariants.scratch.appendingPathComponent("layer.\(ext)")
    guard (try? Data(bytes: start + 1, count: count - 1).write(to: file)) != nil else { return 0 }
    var sources = Fixture.layers
    sources[layer] = file
    do {
        let scene = try SceneLoader(now: 1_800_000_000).load(sources)
        Invariants.requireLocated(scene.problems.filter { $0.location.file == file.path }, file: file.path)
        if let counts = scene.counts[layer] {
            Invariants.require(counts.used + counts.skipped <= counts.read, "\(layer): \(counts)")
        }
        for line in scene.coastline + scene.borders + scene.routes.map(\.line) {
            for part in line.parts { for p in part { Invariants.require(p.x.isFinite && p.y.isFinite, "non-finite vertex kept") } }
        }
    } catch {
        Invariants.requireNamesFile(error, file: file.path)
    }
    return 0
}

/// The tiny scene of the tests with three interceptions (Fuzz/Fixture), found from this file's path.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixture")
    static let layers: [LayerName: URL] = [
        .coastline: directory.appendingPathComponent("coastline.geojson"),
        .borders: directory.appendingPathComponent("borders.geojson"),
        .posts: directory.appendingPathComponent("posts.geojson"),
        .routes: directory.appendingPathComponent("routes.geojson"),
        .interceptions: directory.appendingPathComponent("interceptions.csv"),
    ]
}
