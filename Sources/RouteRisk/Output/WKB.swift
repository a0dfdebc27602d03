/// Well-known binary (OGC Simple Features §8.2; little-endian, 2D) written in Swift, for OGR_G_CreateFromWkb:
/// the same bytes as GEOS's WKB writer gives for the same geometry (checked by the tests), without building a
/// GEOS geometry per feature.
enum WKB {
    private static let pointType: UInt32 = 1
    private static let lineStringType: UInt32 = 2
    private static let polygonType: UInt32 = 3
    private static let multiLineStringType: UInt32 = 5

    /// A Point.
    static func point(_ p: PlanarPoint) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(21)
        header(pointType, into: &out)
        append(p, into: &out)
        return out
    }

    /// A Polygon with one exterior ring, closed here if it is not already (as `Geometry.polygon`).
    static func polygon(exterior ring: ArraySlice<PlanarPoint>) -> [UInt8] {
        let close = ring.first.map { ring.last != $0 } ?? false
        let points = ring.count + (close ? 1 : 0)
        var out: [UInt8] = []
        out.reserveCapacity(13 + 4 + 16 * points)
        header(polygonType, into: &out)
        append(UInt32(1), into: &out)
        append(UInt32(points), into: &out)
        for p in ring { append(p, into: &out) }
        if close, let first = ring.first { append(first, into: &out) }
        return out
    }

    /// A Polygon whose one exterior ring is counter-clockwise: reversed (from its first vertex on) when its signed
    /// area is negative, as OGR's GeoJSON writer turns rings under RFC 7946's right-hand rule (§3.1.6) — so that the
    /// writer has nothing to turn (`GeoJSONChunks`).
    static func counterClockwisePolygon(exterior ring: ArraySlice<PlanarPoint>) -> [UInt8] {
        let open = ring.count > 1 && ring.first == ring.last ? ring.dropLast() : ring
        guard let first = open.first, open.count > 2 else { return polygon(exterior: ring) }
        // The shoelace formula over the closed ring.
        var twiceArea = 0.0
        var previous = open.last!
        for p in open {
            twiceArea += previous.x * p.y - p.x * previous.y
            previous = p
        }
        guard twiceArea < 0 else { return polygon(exterior: ring) }
        return polygon(exterior: ([first] + open.dropFirst().reversed())[...])
    }

    /// A LineString, or a MultiLineString when there is more than one part or `multi` (as `Geometry.lines`).
    static func lines(_ parts: [[PlanarPoint]], multi: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if parts.count == 1 && !multi {
            lineString(parts[0], into: &out)
            return out
        }
        header(multiLineStringType, into: &out)
        append(UInt32(parts.count), into: &out)
        for part in parts { lineString(part, into: &out) }
        return out
    }

    private static func lineString(_ points: [PlanarPoint], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 9 + 16 * points.count)
        header(lineStringType, into: &out)
        append(UInt32(points.count), into: &out)
        for p in points { append(p, into: &out) }
    }

    @inline(__always)
    private static func header(_ type: UInt32, into out: inout [UInt8]) {
        out.append(1)  // little-endian (NDR)
        append(type, into: &out)
    }

    @inline(__always)
    private static func append(_ v: UInt32, into out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func append(_ p: PlanarPoint, into out: inout [UInt8]) {
        withUnsafeBytes(of: p.x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: p.y.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }
}
