import Foundation

/// The study-area cells (MODEL §4: centre at distance ≤ reach of a line) found by walking each segment over the
/// columns of the hex grid, with GEOS's point–segment distance (`geos::algorithm::Distance::pointToSegment`) as the
/// exact test, so the cells are those of `GEOSDistanceWithin_r` against the lines.
///
/// In a column (fixed x) the points within ρ of a segment form one interval of y (the segment's ρ-stadium is convex:
/// the chords of the two end discs and of the strip between them). A centre inside the interval for ρ − ε is within
/// reach beyond doubt and one outside the interval for ρ + ε beyond reach (ε = 1 cm, far above the rounding of
/// either computation); only the few centres in between get the exact test. Per column the intervals of all
/// segments are merged; columns run in bands of 64, in parallel, and come out in (q, r) order.
struct StudyAreaWalk {
    let grid: HexGrid
    let reach: Double
    private var ax: [Double] = [], ay: [Double] = [], bx: [Double] = [], by: [Double] = []
    static let bandWidth = 64
    static let margin = 0.01

    init(grid: HexGrid, lines: [[PlanarPoint]], reach: Double) {
        self.grid = grid
        self.reach = reach
        for line in lines where line.count >= 2 {
            for k in 1..<line.count {
                ax.append(line[k - 1].x); ay.append(line[k - 1].y)
                bx.append(line[k].x); by.append(line[k].y)
            }
        }
    }

    /// The y interval of the points (x, y) within `rho` of segment k (nil when empty).
    @inline(__always)
    func chord(_ k: Int, x: Double, rho: Double) -> (lo: Double, hi: Double)? {
        guard rho >= 0 else { return nil }
        var lo = Double.infinity, hi = -Double.infinity
        let ax = self.ax[k], ay = self.ay[k], bx = self.bx[k], by = self.by[k]
        @inline(__always) func endDisc(_ px: Double, _ py: Double) {
            let d = x - px
            if abs(d) <= rho {
                let h = Swift.max(0, rho * rho - d * d).squareRoot()
                lo = Swift.min(lo, py - h)
                hi = Swift.max(hi, py + h)
            }
        }
        endDisc(ax, ay)
        endDisc(bx, by)
        let dx = bx - ax, dy = by - ay
        let len2 = dx * dx + dy * dy
        if len2 > 0 {
            // 0 ≤ (P−A)·d ≤ |d|²  and  |(P−A)×d| ≤ ρ|d|, each linear in y.
            let u = x - ax
            var sLo = -Double.infinity, sHi = Double.infinity
            if dy != 0 {
                let a = (0 - u * dx) / dy, b = (len2 - u * dx) / dy
                sLo = Swift.max(sLo, ay + Swift.min(a, b))
                sHi = Swift.min(sHi, ay + Swift.max(a, b))
            } else if !(u * dx >= 0 && u * dx <= len2) {
                sHi = -Double.infinity
            }
            let width = rho * len2.squareRoot()
            if dx != 0 {
                let a = (u * dy - width) / dx, b = (u * dy + width) / dx
                sLo = Swift.max(sLo, ay + Swift.min(a, b))
                sHi = Swift.min(sHi, ay + Swift.max(a, b))
            } else if !(abs(u * dy) <= width) {
                sHi = -Double.infinity
            }
            if sLo <= sHi {
                lo = Swift.min(lo, sLo)
                hi = Swift.max(hi, sHi)
            }
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// The rows r of column q whose centre (as `HexGrid.center(of:)` computes it) has lo ≤ y ≤ hi.
    @inline(__always)
    func rows(q: Int, lo: Double, hi: Double) -> ClosedRange<Int>? {
        let half = Double(q) / 2
        let rowStep = 3.0.squareRoot() * grid.circumradius
        func y(_ r: Int) -> Double { grid.center(of: HexCoordinate(q: q, r: r)).y }
        var a = HexGrid.clampedInt(((lo - grid.originY) / rowStep - half).rounded(.up))
        var b = HexGrid.clampedInt(((hi - grid.originY) / rowStep - half).rounded(.down))
        while y(a - 1) >= lo { a -= 1 }
        while y(a) < lo { a += 1 }
        while y(b + 1) <= hi { b += 1 }
        while y(b) > hi { b -= 1 }
        return a <= b ? a...b : nil
    }

    func cells() -> [HexCoordinate] {
        let n = ax.count
        guard n > 0, reach >= 0, reach.isFinite else { return [] }
        let columnStep = 1.5 * grid.circumradius
        let outer = reach + Self.margin
        func column(_ x: Double) -> Double { (x - grid.originX) / columnStep }
        // Column range of each segment (widened by one against rounding; the chords decide).
        var qLo = [Int](repeating: 0, count: n), qHi = [Int](repeating: 0, count: n)
        var qMin = Int.max, qMax = Int.min
        for k in 0..<n {
            qLo[k] = HexGrid.clampedInt(column(Swift.min(ax[k], bx[k]) - outer).rounded(.up)) - 1
            qHi[k] = HexGrid.clampedInt(column(Swift.max(ax[k], bx[k]) + outer).rounded(.down)) + 1
            qMin = Swift.min(qMin, qLo[k])
            qMax = Swift.max(qMax, qHi[k])
        }
        // Segments by band of columns (compressed rows).
        let B = Self.bandWidth
        let bands = (qMax - qMin) / B + 1
        var bandStart = [Int](repeating: 0, count: bands + 1)
        for k in 0..<n {
            for band in ((qLo[k] - qMin) / B)...((qHi[k] - qMin) / B) { bandStart[band + 1] += 1 }
        }
        for b in 0..<bands { bandStart[b + 1] += bandStart[b] }
        var fill = bandStart
        var bandSegments = [Int](repeating: 0, count: bandStart[bands])
        for k in 0..<n {
            for band in ((qLo[k] - qMin) / B)...((qHi[k] - qMin) / B) {
                bandSegments[fill[band]] = k
                fill[band] += 1
            }
        }
        var found = [[HexCoordinate]](repeating: [], count: bands)
        found.withUnsafeMutableBufferPointer { out in
            parallelForEachChunk(count: bands, chunkSize: 1) { band, _ in
                let first = qMin + band * B
                // Per column of the band: row intervals certainly within reach, and single rows that passed the test.
                var spans = [[(Int, Int)]](repeating: [], count: B)
                for slot in bandStart[band]..<bandStart[band + 1] {
                    let k = bandSegments[slot]
                    for q in Swift.max(first, qLo[k])...Swift.min(first + B - 1, qHi[k]) {
                        let x = grid.center(of: HexCoordinate(q: q, r: 0)).x
                        guard let o = chord(k, x: x, rho: outer), let outerRows = rows(q: q, lo: o.lo, hi: o.hi) else {
                            continue
                        }
                        var inner: ClosedRange<Int>? = nil
                        if let i = chord(k, x: x, rho: reach - Self.margin) { inner = rows(q: q, lo: i.lo, hi: i.hi) }
                        // Consecutive segments of a line give overlapping spans: merged into the column's last span
                        // as they come (a union of integer intervals), so the spans stay few.
                        func add(_ lo: Int, _ hi: Int) {
                            if let last = spans[q - first].last, lo <= last.1 &+ 1, hi >= last.0 &- 1 {
                                spans[q - first][spans[q - first].count - 1] = (Swift.min(lo, last.0), Swift.max(hi, last.1))
                            } else {
                                spans[q - first].append((lo, hi))
                            }
                        }
                        if let inner { add(inner.lowerBound, inner.upperBound) }
                        // The rows between the two chords: GEOS's distance decides (unless already in).
                        func test(_ r: Int) {
                            if let last = spans[q - first].last, r >= last.0, r <= last.1 { return }
                            let c = grid.center(of: HexCoordinate(q: q, r: r))
                            if SegmentDistance.pointToSegment(c.x, c.y, ax[k], ay[k], bx[k], by[k]) <= reach {
                                add(r, r)
                            }
                        }
                        if let inner {
                            if outerRows.lowerBound < inner.lowerBound {
                                for r in outerRows.lowerBound..<inner.lowerBound { test(r) }
                            }
                            if inner.upperBound < outerRows.upperBound {
                                for r in (inner.upperBound + 1)...outerRows.upperBound { test(r) }
                            }
                        } else {
                            for r in outerRows { test(r) }
                        }
                    }
                }
                var cells: [HexCoordinate] = []
                for c in 0..<B where !spans[c].isEmpty {
                    spans[c].sort { $0.0 < $1.0 }
                    var next = Int.min  // first row not yet emitted
                    for (lo, hi) in spans[c] where hi >= next {
                        for r in Swift.max(lo, next)...hi { cells.append(HexCoordinate(q: first + c, r: r)) }
                        next = hi + 1
                    }
                }
                out[band] = cells
            }
        }
        return Array(found.joined())
    }
}
