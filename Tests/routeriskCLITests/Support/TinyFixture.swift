import Foundation
import XCTest

/// Independent geodesy for the checks: the WGS84 ellipsoid's radii of curvature and a local
/// equirectangular frame. Over a few tens of kilometres near the equator this agrees with
/// any sane projection (LAEA's scale error at 50 km from its centre is ~1e-5) far below the
/// tolerances used.
enum WGS84 {
    static let a = 6_378_137.0
    static let f = 1 / 298.257223563
    static let e2 = f * (2 - f)

    static func radians(_ deg: Double) -> Double { deg * .pi / 180 }

    /// Radius of curvature in the meridian, M(φ) = a(1−e²)/(1−e² sin²φ)^{3/2}, metres.
    static func meridianRadius(_ latDeg: Double) -> Double {
        let s = sin(radians(latDeg))
        return a * (1 - e2) / pow(1 - e2 * s * s, 1.5)
    }

    /// Radius of curvature in the prime vertical, N(φ) = a/√(1−e² sin²φ), metres.
    static func primeVerticalRadius(_ latDeg: Double) -> Double {
        let s = sin(radians(latDeg))
        return a / (1 - e2 * s * s).squareRoot()
    }

    /// Length of a parallel arc of `dLonDeg` at `latDeg`: N cosφ Δλ, km.
    static func parallelArcKm(_ dLonDeg: Double, atLat latDeg: Double) -> Double {
        primeVerticalRadius(latDeg) * cos(radians(latDeg)) * radians(abs(dLonDeg)) / 1000
    }

    /// Meridian arc between two latitudes, ∫M dφ by Simpson's rule, km.
    static func meridianArcKm(_ lat1: Double, _ lat2: Double) -> Double {
        let n = 64
        let h = (lat2 - lat1) / Double(n)
        var sum = meridianRadius(lat1) + meridianRadius(lat2)
        for k in 1..<n { sum += (k % 2 == 1 ? 4 : 2) * meridianRadius(lat1 + Double(k) * h) }
        return abs(radians(h) * sum / 3) / 1000
    }

    /// `p` in a local planar frame (km) centred at `origin`, scales taken at the origin's latitude.
    static func local(_ p: (lon: Double, lat: Double), origin o: (lon: Double, lat: Double)) -> (x: Double, y: Double) {
        (radians(p.lon - o.lon) * primeVerticalRadius(o.lat) * cos(radians(o.lat)) / 1000,
         radians(p.lat - o.lat) * meridianRadius(o.lat) / 1000)
    }

    /// Distance (km) from a point to a polyline, in the local frame of the point.
    static func distanceKm(_ p: (lon: Double, lat: Double), toLine line: [(lon: Double, lat: Double)]) -> Double {
        var best = Double.infinity
        for (u, v) in zip(line, line.dropFirst()) {
            let a = local(u, origin: p), b = local(v, origin: p)
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            let t = len2 > 0 ? max(0, min(1, -(a.x * dx + a.y * dy) / len2)) : 0
            let x = a.x + t * dx, y = a.y + t * dy
            best = min(best, (x * x + y * y).squareRoot())
        }
        return best
    }

    /// Length of a polyline (km), segment by segment in the local frame of each segment's midpoint.
    static func lengthKm(_ line: [(lon: Double, lat: Double)]) -> Double {
        zip(line, line.dropFirst()).reduce(0) { total, seg in
            let mid = ((seg.0.lon + seg.1.lon) / 2, (seg.0.lat + seg.1.lat) / 2)
            let a = local(seg.0, origin: mid), b = local(seg.1, origin: mid)
            return total + ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        }
    }

    /// Area (km²) of a lon/lat ring by the shoelace formula in the local frame of its first vertex.
    static func ringAreaKm2(_ ring: [(lon: Double, lat: Double)]) -> Double {
        let o = ring[0]
        let pts = ring.map { local($0, origin: o) }
        var s = 0.0
        for (p, q) in zip(pts, pts.dropFirst()) { s += p.x * q.y - q.x * p.y }
        return s / 2
    }
}

/// The tiny scene's inputs, read here with plain Foundation (not with the library).
struct TinyFixture {
    struct Event {
        let line: Int
        let id: String
        let days: Int  // days since 1970-01-01
        let lon: Double
        let lat: Double
        let persons: Int
    }

    struct Route {
        let id: String
        let coordinates: [(lon: Double, lat: Double)]
    }

    let events: [Event]
    let routes: [Route]
    /// Every vertex of coastline, borders, posts and routes (the "geography" of MODEL §2).
    let geographyVertices: [(lon: Double, lat: Double)]

    static func load(_ dir: URL = Paths.tinyScene) throws -> TinyFixture {
        let csv = try String(contentsOf: dir.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        XCTAssertFalse(csv.contains("\""), "the fixture CSV is read here by splitting on commas")
        let lines = csv.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "id,date,lon,lat,persons,category,mode")
        var events: [Event] = []
        for (index, text) in lines.enumerated().dropFirst() where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let f = text.components(separatedBy: ",")
            XCTAssertEqual(f.count, 7, "line \(index + 1)")
            events.append(Event(
                line: index + 1, id: f[0], days: try civilDays(f[1]),
                lon: Double(f[2])!, lat: Double(f[3])!, persons: f[4].isEmpty ? 1 : Int(f[4])!))
        }
        func features(_ name: String) throws -> [[String: Any]] {
            let o = try jsonObject(dir.appendingPathComponent(name))
            return o["features"] as! [[String: Any]]
        }
        func vertices(_ geometry: [String: Any]) -> [(lon: Double, lat: Double)] {
            func walk(_ any: Any) -> [(lon: Double, lat: Double)] {
                if let pair = any as? [Double], pair.count >= 2 { return [(pair[0], pair[1])] }
                if let list = any as? [Any] { return list.flatMap(walk) }
                return []
            }
            return walk(geometry["coordinates"] as Any)
        }
        let routes = try features("routes.geojson").map { f -> Route in
            let p = f["properties"] as! [String: Any]
            return Route(id: p["id"] as! String, coordinates: vertices(f["geometry"] as! [String: Any]))
        }
        var geography: [(lon: Double, lat: Double)] = []
        for name in ["coastline.geojson", "borders.geojson", "posts.geojson", "routes.geojson"] {
            for f in try features(name) { geography += vertices(f["geometry"] as! [String: Any]) }
        }
        return TinyFixture(events: events, routes: routes, geographyVertices: geography)
    }

    func route(_ id: String) -> Route { routes.first { $0.id == id }! }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` date (H. Hinnant's days_from_civil).
    static func civilDays(_ text: String) throws -> Int {
        let parts = text.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let y0 = parts[0], let m = parts[1], let d = parts[2] else {
            throw CocoaError(.formatting)
        }
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
