import Foundation

/// The sample points of MODEL §9 `mean_intensity_km2` along one line: at 0, step, 2·step, … up to
/// its length, the end point included when the length is a multiple of step within 1e-9.
///
/// Each point is the one `GEOSInterpolate_r` gives (GEOS 3.11 `LengthIndexedLine::extractPoint`:
/// `LengthLocationMap::getLocationForward`, then `LinearLocation::pointAlongSegmentByFraction`),
/// with the same floating-point operations in the same order, and the length is GEOS's
/// `Length::ofLine`; but one walk along the line serves every sample (GEOS starts again from the
/// first vertex for each), and no C call or GEOS point is made per sample.
/// `LineSamplesTests` checks the points bit for bit against GEOS.
enum LineSamples {
    /// GEOS `Length::ofLine`.
    static func length(_ line: [PlanarPoint]) -> Double {
        guard line.count > 1 else { return 0 }
        var total = 0.0
        var x0 = line[0].x, y0 = line[0].y
        for p in line.dropFirst() {
            let dx = p.x - x0, dy = p.y - y0
            total += (dx * dx + dy * dy).squareRoot()
            x0 = p.x
            y0 = p.y
        }
        return total
    }

    static func samples(along line: [PlanarPoint], step: Double) -> [PlanarPoint] {
        guard let first = line.first else { return [] }
        let lineLength = length(line)
        var out: [PlanarPoint] = []
        // The walk's state: the segment being looked at and the length before it.
        var segment = 0
        var before = 0.0
        var k = 0
        while true {
            let d = Double(k) * step
            if d > lineLength + 1e-9 { break }
            out.append(point(at: Swift.min(d, lineLength), line, first, &segment, &before))
            k += 1
        }
        return out
    }

    /// The point at distance `d` along `line`; `segment` and `before` carry the walk between calls
    /// with increasing `d` (the segments passed have `before + length ≤ d` for every larger d too).
    @inline(__always)
    private static func point(at d: Double, _ line: [PlanarPoint], _ first: PlanarPoint,
                              _ segment: inout Int, _ before: inout Double) -> PlanarPoint {
        if d <= 0 { return first }
        while segment + 1 < line.count {
            let p0 = line[segment], p1 = line[segment + 1]
            let dx = p1.x - p0.x, dy = p1.y - p0.y
            let segmentLength = (dx * dx + dy * dy).squareRoot()
            if before + segmentLength > d {
                let fraction = (d - before) / segmentLength
                if fraction <= 0 { return p0 }
                if fraction >= 1 { return p1 }
                return PlanarPoint(x: (p1.x - p0.x) * fraction + p0.x, y: (p1.y - p0.y) * fraction + p0.y)
            }
            before += segmentLength
            segment += 1
        }
        return line[line.count - 1]
    }
}
