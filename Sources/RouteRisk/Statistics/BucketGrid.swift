import Foundation

/// A uniform grid of square buckets over points, for fixed-radius neighbour search (Bentley, Stanat & Williams 1977).
///
/// Buckets are keyed by integer coordinates `⌊x/size⌋, ⌊y/size⌋`. Within a bucket the
/// points keep their input order, and `forEachCandidate` visits buckets by ascending
/// (by, bx), so any sum built from the visits has one fixed order, whatever the threads.
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
    /// Bucket → the range of its points in `xs`, `ys`, `indices`.
    private let ranges: [Key: Range<Int>]

    init(points: [PlanarPoint], bucketSize: Double) {
        precondition(bucketSize > 0 && bucketSize.isFinite, "bucket size must be positive and finite")
        self.bucketSize = bucketSize
        var members: [Key: [Int]] = [:]
        for (i, p) in points.enumerated() {
            members[Key(x: BucketGrid.index(p.x, bucketSize), y: BucketGrid.index(p.y, bucketSize)), default: []]
                .append(i)
        }
        let keys = members.keys.sorted { $0.y != $1.y ? $0.y < $1.y : $0.x < $1.x }
        var xs: [Double] = []
        var ys: [Double] = []
        var indices: [Int] = []
        xs.reserveCapacity(points.count)
        ys.reserveCapacity(points.count)
        indices.reserveCapacity(points.count)
        var ranges: [Key: Range<Int>] = [:]
        ranges.reserveCapacity(keys.count)
        for key in keys {
            let start = indices.count
            for i in members[key, default: []] {
                xs.append(points[i].x)
                ys.append(points[i].y)
                indices.append(i)
            }
            ranges[key] = start..<indices.count
        }
        self.xs = xs
        self.ys = ys
        self.indices = indices
        self.ranges = ranges
    }

    /// `⌊v/size⌋`, clamped so that no coordinate can trap.
    static func index(_ v: Double, _ size: Double) -> Int {
        let f = (v / size).rounded(.down)
        guard !f.isNaN else { return 0 }
        return Int(Swift.max(-4.0e15, Swift.min(4.0e15, f)))
    }

    /// Calls `body(slot)` for every point in the buckets that can hold a point within `radius` of `p`
    /// (for radius = bucket size, the 3×3 neighbouring buckets), buckets by ascending (by, bx),
    /// input order within a bucket. `slot` indexes `xs`, `ys` and `indices`.
    ///
    /// The bucket range comes from `⌊(p − radius)/size⌋ … ⌊(p + radius)/size⌋`; rounding is monotone,
    /// so no point within the radius is missed.
    @inline(__always)
    func forEachCandidate(near p: PlanarPoint, radius: Double, _ body: (Int) -> Void) {
        let bx0 = BucketGrid.index(p.x - radius, bucketSize)
        let bx1 = BucketGrid.index(p.x + radius, bucketSize)
        let by0 = BucketGrid.index(p.y - radius, bucketSize)
        let by1 = BucketGrid.index(p.y + radius, bucketSize)
        guard bx0 <= bx1, by0 <= by1 else { return }
        for by in by0...by1 {
            for bx in bx0...bx1 {
                guard let range = ranges[Key(x: bx, y: by)] else { continue }
                for slot in range {
                    body(slot)
                }
            }
        }
    }
}
