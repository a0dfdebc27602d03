/// The candidate segments of one cell of a `CorridorIndex` grid, copied struct-of-arrays once for the events of that
/// cell (`spatialOrder` brings them one after another), then measured against each event two segments at a time
/// without a branch, and reduced to each route's minimum over its segments in the cell (a cell lists a route's
/// segments one after another, routes ascending).
///
/// The distance is GEOS's `pointToSegment` (`SegmentDistance`) with its three cases as selects: the same operations
/// on the same operands, so the same bits (`CellCandidatesTests`). A loop that branched on each case and on each
/// change of route lost most of its time to mispredictions: about half the candidates start a new route, and r's
/// side of the segment is as good as random.
final class CellCandidates {
    /// The cell loaded (−1: none yet) and its number of segments.
    private(set) var cell = -1
    private(set) var count = 0
    /// Runs of one route: the route of each run, and each run's minimum distance after `measure`.
    private(set) var runCount = 0
    let runRoute: UnsafeMutablePointer<Int32>
    let runMinimum: UnsafeMutablePointer<Double>
    /// The routes within a distance and their minima, after `keepWithin`.
    let keptRoute: UnsafeMutablePointer<Int32>
    let keptDistance: UnsafeMutablePointer<Double>

    private let capacity: Int
    /// |AB| = −1 marks a segment whose ends are one point (`IndexedSegment`).
    private let ax, ay, bx, by, length2, length, distance: UnsafeMutablePointer<Double>
    private let startsRun: UnsafeMutablePointer<Bool>
    private let runLast: UnsafeMutablePointer<Int32>

    /// Room for cells of up to `longestCell` segments.
    init(longestCell: Int) {
        // One more: an odd count is padded to whole pairs.
        let capacity = longestCell + 1
        self.capacity = capacity
        func doubles() -> UnsafeMutablePointer<Double> { .allocate(capacity: capacity) }
        ax = doubles(); ay = doubles(); bx = doubles(); by = doubles()
        length2 = doubles(); length = doubles(); distance = doubles()
        runMinimum = doubles(); keptDistance = doubles()
        startsRun = .allocate(capacity: capacity)
        runLast = .allocate(capacity: capacity)
        runRoute = .allocate(capacity: capacity)
        keptRoute = .allocate(capacity: capacity)
    }

    deinit {
        for p in [ax, ay, bx, by, length2, length, distance, runMinimum, keptDistance] { p.deallocate() }
        startsRun.deallocate()
        runLast.deallocate()
        runRoute.deallocate()
        keptRoute.deallocate()
    }

    /// Copies cell `c`'s segments out of the index (end points, |AB|², |AB|) and notes where each route's run starts
    /// and ends.
    func load(_ c: Int, _ g: CorridorIndex.Buffers) {
        let lo = Int(g.cellStart[c]), n = Int(g.cellStart[c + 1]) - lo
        precondition(n < capacity, "a cell lists more segments than the index's longest")
        cell = c
        count = n
        runCount = 0
        var previous: Int32 = -1
        for k in 0..<n {
            let s = g.segments[Int(g.cellSegments[lo + k])]
            ax[k] = s.ax; ay[k] = s.ay; bx[k] = s.bx; by[k] = s.by
            length2[k] = s.length2; length[k] = s.length
            startsRun[k] = s.route != previous
            if s.route != previous {
                if runCount > 0 { runLast[runCount - 1] = Int32(k - 1) }
                runRoute[runCount] = s.route
                runCount += 1
                previous = s.route
            }
        }
        if runCount > 0 { runLast[runCount - 1] = Int32(n - 1) }
        if n % 2 == 1 {
            // The pair's second lane: a copy of the last segment, measured and never read.
            ax[n] = ax[n - 1]; ay[n] = ay[n - 1]; bx[n] = bx[n - 1]; by[n] = by[n - 1]
            length2[n] = length2[n - 1]; length[n] = length[n - 1]
        }
    }

    /// Each run's minimum distance from (px, py) over its segments into `runMinimum`.
    @inline(__always)
    func measure(_ px: Double, _ py: Double) {
        let x = SIMD2(repeating: px), y = SIMD2(repeating: py)
        let signless = SIMD2<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        var k = 0
        while k < count {
            @inline(__always) func pair(_ p: UnsafeMutablePointer<Double>) -> SIMD2<Double> { SIMD2(p[k], p[k + 1]) }
            let ax = pair(self.ax), ay = pair(self.ay), bx = pair(self.bx), by = pair(self.by)
            let len2 = pair(length2), length = pair(self.length)
            // SegmentDistance.pointToSegment, term for term.
            let r = ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2
            let s = ((ay - y) * (bx - ax) - (ax - x) * (by - ay)) / len2
            let toB = r .>= 1
            let dx = (x - ax).replacing(with: x - bx, where: toB), dy = (y - ay).replacing(with: y - by, where: toB)
            let toEnd = (r .<= 0) .| toB .| (length .< 0)
            let magnitude = unsafeBitCast(unsafeBitCast(s, to: SIMD2<UInt64>.self) & signless, to: SIMD2<Double>.self)
            let d = (magnitude * length).replacing(with: (dx * dx + dy * dy).squareRoot(), where: toEnd)
            distance[k] = d[0]
            distance[k + 1] = d[1]
            k += 2
        }
        // Each route's minimum as `Swift.min` takes it, segment after segment from +∞ (a NaN never wins).
        var current = Double.infinity
        var run = 0
        for k in 0..<count {
            current = Swift.min(startsRun[k] ? .infinity : current, distance[k])
            // Written at every slot of the run; the last one stays.
            runMinimum[run] = current
            run += k == Int(runLast[run]) ? 1 : 0
        }
    }

    /// The runs whose minimum is ≤ b, routes ascending, into `keptRoute` / `keptDistance`; their number.
    @inline(__always)
    func keepWithin(_ b: Double) -> Int {
        var kept = 0
        for j in 0..<runCount {
            let d = runMinimum[j]
            keptRoute[kept] = runRoute[j]
            keptDistance[kept] = d
            kept += d <= b ? 1 : 0
        }
        return kept
    }

    /// The least of the runs' minima (+∞ when the cell lists none).
    @inline(__always)
    func nearest() -> Double {
        var best = Double.infinity
        for j in 0..<runCount { best = Swift.min(best, runMinimum[j]) }
        return best
    }
}
