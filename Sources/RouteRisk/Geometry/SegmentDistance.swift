/// GEOS's point–segment distance (`geos::algorithm::Distance::pointToSegment`, GEOS 3.11) in Swift, for the
/// inner loops that measure many pairs (corridors, the study area's walk): the same operations in the same
/// order, so the same bits as `GEOSDistance_r` would give for that pair.
enum SegmentDistance {
    /// `Distance::pointToSegment`, operation for operation.
    @inline(__always)
    static func pointToSegment(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
        if ax == bx && ay == by { return pointDistance(px, py, ax, ay) }
        let len2 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay)
        let r = ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2
        if r <= 0 { return pointDistance(px, py, ax, ay) }
        if r >= 1 { return pointDistance(px, py, bx, by) }
        let s = ((ay - py) * (bx - ax) - (ax - px) * (by - ay)) / len2
        return abs(s) * len2.squareRoot()
    }

    /// `CoordinateXY::distance` (the sign of a difference does not change its square).
    @inline(__always)
    static func pointDistance(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Double {
        let dx = x0 - x1, dy = y0 - y1
        return (dx * dx + dy * dy).squareRoot()
    }

    /// |AB|² as `pointToSegment` computes it.
    @inline(__always)
    static func length2(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
        (bx - ax) * (bx - ax) + (by - ay) * (by - ay)
    }

    /// The numerator of `pointToSegment`'s s: |cross| / |AB| is P's distance from the line AB.
    @inline(__always)
    static func lineCross(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
        (ay - py) * (bx - ax) - (ax - px) * (by - ay)
    }
}
