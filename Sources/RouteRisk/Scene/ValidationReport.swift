import Foundation

/// The report of `routerisk validate`: per layer its file, CRS, counts and extent; the date
/// range of the interceptions; every problem found.
public enum ValidationReport {
    public static func render(_ scene: Scene) -> String {
        var lines: [String] = []
        for layer in LayerName.allCases {
            let c = scene.counts[layer] ?? LayerCount()
            let crs = scene.declaredCRS[layer].map(crsName) ?? "lon/lat WGS84 (none declared)"
            lines.append("\(layer.rawValue): \(scene.paths[layer] ?? "–")")
            lines.append("  read \(c.read), valid \(c.used), invalid \(c.skipped), repaired \(c.repaired); CRS \(crs)")
            if let e = extent(of: scene, layer) {
                lines.append(String(format: "  extent lon %.4f … %.4f, lat %.4f … %.4f", e.0, e.2, e.1, e.3))
            }
        }
        let times = scene.interceptions.map(\.time)
        if let first = times.min(), let last = times.max() {
            lines.append("interceptions from \(Timestamp.isoDate(first)) to \(Timestamp.isoDate(last)), \(scene.interceptions.reduce(0) { $0 + $1.persons }) persons")
        }
        if scene.problems.isEmpty {
            lines.append("no problems found")
        } else {
            lines.append("\(scene.problems.count) problem\(scene.problems.count == 1 ? "" : "s"):")
            lines += scene.problems.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    static func crsName(_ wkt: String) -> String {
        // The first quoted name of the WKT, e.g. "WGS 84" or "WGS 84 / UTM zone 50S".
        guard let open = wkt.firstIndex(of: "\""), let close = wkt[wkt.index(after: open)...].firstIndex(of: "\"") else { return "declared" }
        return String(wkt[wkt.index(after: open)..<close])
    }

    static func extent(of scene: Scene, _ layer: LayerName) -> (Double, Double, Double, Double)? {
        let points: [PlanarPoint]
        switch layer {
        case .coastline: points = scene.coastline.flatMap { $0.parts.joined() }
        case .borders: points = scene.borders.flatMap { $0.parts.joined() }
        case .posts: points = scene.posts.map(\.position)
        case .routes: points = scene.routes.flatMap { $0.line.parts.joined() }
        case .interceptions: points = scene.interceptions.map { PlanarPoint(x: $0.lon, y: $0.lat) }
        }
        guard !points.isEmpty else { return nil }
        return (points.map(\.x).min()!, points.map(\.y).min()!, points.map(\.x).max()!, points.map(\.y).max()!)
    }
}
