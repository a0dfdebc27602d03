import Foundation

/// A uniform grid of square buckets over points, for fixed-radius neighbour search (Bentley, Stanat & Williams 1977).
///
/// Buckets are keyed by integer coordinates `⌊x/size⌋, ⌊y/size⌋`. Within a bucket the
/// points keep their input order, and `forEachCandidate` visits buckets by ascending
/// (by, bx), so any sum built from the visits has one fixed order, whatever the threads.
///
/// The buckets are flat arrays (CSR over the points' bucket rectangle, rows of ascending bx),
/// so a query needs no hash lookup, and the buckets of one row that a query covers are one
/// contiguous run of slots (`forEachRowRun`). A rectangle of more than 2²⁶ buckets (a few
/// points spread very thinly) falls back to a dictionary of the occupied buckets.
struct BucketGrid: Sendable {
    struct Key: Hashable, Sendable {
        var x: Int
        var y: Int
    }

    let bucketSize: Double
    /// Points grouped by bucket, in input order within each bucket.
    let xs: [Double]
    let ys: [Double]
    /// Input index of each grouped point.
    let indices: [Int]
    /// The bucket rectangle: bucket (bx, by) is row `by − minBY`, column `bx − minBX`.
    private let minBX: Int, minBY: Int, columns: Int, rows: Int
    /// Flat layout: the slots of bucket c = row · columns + column are `bucketStart[c] ..< bucketStart[c + 1]`.
    private let bucketStart: [Int32]
    /// Sparse fallback: bucket → the range of its points.
    private let ranges: [Key: Range<Int>]

    init(points: [PlanarPoint], bucketSize: Double) {
        precondition(bucketSize > 0 && bucketSize.isFinite, "bucket size must be positive and finite")
        self.bucketSize = bucketSize
        let n = points.count
        var bxs = [Int](repeating: 0, count: n), bys = [Int](repeating: 0, count: n)
        var minBX = Int.max, minBY = Int.max, maxBX = Int.min, maxBY = Int.min
        for (i, p) in points.enumerated() {
            let bx = BucketGrid.index(p.x, bucketSize), by = BucketGrid.index(p.y, bucketSize)
            bxs[i] = bx
            bys[i] = by
            minBX = Swift.min(minBX, bx); maxBX = Swift.max(maxBX, bx)
            minBY = Swift.min(minBY, by); maxBY = Swift.max(maxBY, by)
        }
        let (columnsWide, o1) = n > 0 ? (maxBX - minBX).addingReportingOverflow(1) : (0, false)
        let (rowsHigh, o2) = n > 0 ? (maxBY - minBY).addingReportingOverflow(1) : (0, false)
        let (cellCount, o3) = columnsWide.multipliedReportingOverflow(by: rowsHigh)
        let flat = n > 0 && !o1 && !o2 && !o3 && cellCount <= 1 << 26 && n < Int(Int32.max)
        var xs = [Double](repeating: 0, count: n), ys = [Double](repeating: 0, count: n)
        var indices = [Int](repeating: 0, count: n)
        if flat {
            // Counting sort by (by, bx), stable (input order within a bucket) and in one array: each bucket's count,
            // then its end (inclusive prefix sums), then the points placed last to first, each bucket's end stepping
            // down to its start — no second array of the buckets' fill positions.
            var start = [Int32](repeating: 0, count: cellCount + 1)
            for i in 0..<n {
                start[(bys[i] - minBY) * columnsWide + (bxs[i] - minBX)] += 1
            }
            for c in 1..<cellCount {
                start[c] += start[c - 1]
            }
            start[cellCount] = Int32(n)
            for i in stride(from: n - 1, through: 0, by: -1) {
                let c = (bys[i] - minBY) * columnsWide + (bxs[i] - minBX)
                start[c] -= 1
                let slot = Int(start[c])
                xs[slot] = points[i].x
                ys[slot] = points[i].y
                indices[slot] = i
            }
            self.minBX = minBX
            self.minBY = minBY
            columns = columnsWide
            rows = rowsHigh
            bucketStart = start
            ranges = [:]
        } else {
            var members: [Key: [Int]] = [:]
            for i in 0..<n {
                members[Key(x: bxs[i], y: bys[i]), default: []].append(i)
            }
            let keys = members.keys.sorted { $0.y != $1.y ? $0.y < $1.y : $0.x < $1.x }
            var ranges: [Key: Range<Int>] = [:]
            ranges.reserveCapacity(keys.count)
            var slot = 0
            for key in keys {
                let first = slot
                for i in members[key, default: []] {
                    xs[slot] = points[i].x
                    ys[slot] = points[i].y
                    indices[slot] = i
                    slot += 1
                }
                ranges[key] = first..<slot
            }
            self.minBX = 0
            self.minBY = 0
            columns = 0
            rows = 0
            bucketStart = []
            self.ranges = ranges
        }
        self.xs = xs
        self.ys = ys
        self.indices = indices
    }

    /// `⌊v/size⌋`, clamped so that no coordinate can trap.
    static func index(_ v: Double, _ size: Double) -> Int {
        let f = (v / size).rounded(.down)
        guard !f.isNaN else { return 0 }
        return Int(Swift.max(-4.0e15, Swift.min(4.0e15, f)))
    }

    /// Calls `body(slots)` for each bucket row that can hold a point within `radius` of `p`, rows by ascending by:
    /// `slots` is the contiguous run of the row's buckets bx0 … bx1 (ascending bx, input order within a bucket).
    /// Together the runs are exactly the slots `forEachCandidate` visits, in the same order.
    ///
    /// The bucket range comes from `⌊(p − radius)/size⌋ … ⌊(p + radius)/size⌋`; rounding is monotone,
    /// so no point within the radius is missed.
    @inline(__always)
    func forEachRowRun(near p: PlanarPoint, radius: Double, _ body: (Range<Int>) -> Void) {
        let bx0 = BucketGrid.index(p.x - radius, bucketSize)
        let bx1 = BucketGrid.index(p.x + radius, bucketSize)
        let by0 = BucketGrid.index(p.y - radius, bucketSize)
        let by1 = BucketGrid.index(p.y + radius, bucketSize)
        guard bx0 <= bx1, by0 <= by1 else { return }
        if columns > 0 {
            let c0 = Swift.max(bx0, minBX) - minBX, c1 = Swift.min(bx1, minBX + columns - 1) - minBX
            let r0 = Swift.max(by0, minBY) - minBY, r1 = Swift.min(by1, minBY + rows - 1) - minBY
            guard c0 <= c1, r0 <= r1 else { return }
            bucketStart.withUnsafeBufferPointer { start in
                for row in r0...r1 {
                    let first = Int(start[row * columns + c0]), end = Int(start[row * columns + c1 + 1])
                    if first < end { body(first..<end) }
                }
            }
            return
        }
        for by in by0...by1 {
            for bx in bx0...bx1 {
                guard let range = ranges[Key(x: bx, y: by)] else { continue }
                body(range)
            }
        }
    }

    /// A number that is equal for two points exactly when `forEachRowRun` gives them the same runs (its clamped
    /// bucket rows and columns), below 2³⁰; nil when the grid is sparse, the query misses it, or it spans more
    /// than 4 × 4 buckets (then ask `forEachRowRun` itself).
    @inline(__always)
    func runKey(near p: PlanarPoint, radius: Double) -> UInt64? {
        guard columns > 0 else { return nil }
        let bx0 = BucketGrid.index(p.x - radius, bucketSize)
        let bx1 = BucketGrid.index(p.x + radius, bucketSize)
        let by0 = BucketGrid.index(p.y - radius, bucketSize)
        let by1 = BucketGrid.index(p.y + radius, bucketSize)
        guard bx0 <= bx1, by0 <= by1 else { return nil }
        let c0 = Swift.max(bx0, minBX) - minBX, c1 = Swift.min(bx1, minBX + columns - 1) - minBX
        let r0 = Swift.max(by0, minBY) - minBY, r1 = Swift.min(by1, minBY + rows - 1) - minBY
        guard c0 <= c1, r0 <= r1, c1 - c0 < 4, r1 - r0 < 4 else { return nil }
        // r0 · columns + c0 < 2²⁶ (the flat layout's limit).
        return UInt64(r0 * columns + c0) << 4 | UInt64(r1 - r0) << 2 | UInt64(c1 - c0)
    }

    /// Calls `body(slot)` for every point in the buckets that can hold a point within `radius` of `p`
    /// (for radius = bucket size, the 3×3 neighbouring buckets), buckets by ascending (by, bx),
    /// input order within a bucket. `slot` indexes `xs`, `ys` and `indices`.
    @inline(__always)
    func forEachCandidate(near p: PlanarPoint, radius: Double, _ body: (Int) -> Void) {
        forEachRowRun(near: p, radius: radius) { run in
            for slot in run {
                body(slot)
            }
        }
    }
}
