import Foundation

/// A uniform grid of square buckets over the segments of the routes, for "which routes lie
/// within r of this point, and how far" without an O(events × routes) loop (MODEL §13.1–2).
///
/// Written for the forecast while perf-core's `CorridorIndex` (§9) was being built: §13 needs the
/// distance to every route within max(B, b_att) and the nearest one, where `CorridorIndex`
/// answers "within b or not"; the two grids could be unified later. Each segment is listed in
/// every bucket its bounding box touches; a query visits the buckets within r and keeps, per
/// route, the smallest point–segment distance (GEOS's formula, `CorridorIndex.pointToSegment`).
struct RouteSegmentIndex: Sendable {
    let bucketSize: Double
    let minX: Double, minY: Double
    let columns: Int, rows: Int
    /// CSR: the segments of bucket b are `items[start[b]..<start[b+1]]`.
    let start: [Int32]
    let items: [Int32]
    // Segments, struct of arrays.
    let ax: [Double], ay: [Double], bx: [Double], by: [Double]
    let route: [Int32]
    let routeCount: Int

    init(routes: [[[PlanarPoint]]], bucketSize requested: Double) {
        var ax: [Double] = [], ay: [Double] = [], bx: [Double] = [], by: [Double] = [], route: [Int32] = []
        for (r, parts) in routes.enumerated() {
            for part in parts {
                for (a, b) in zip(part, part.dropFirst()) {
                    ax.append(a.x); ay.append(a.y); bx.append(b.x); by.append(b.y); route.append(Int32(r))
                }
            }
        }
        routeCount = routes.count
        self.ax = ax; self.ay = ay; self.bx = bx; self.by = by; self.route = route
        let lo = (x: zip(ax, bx).map { min($0, $1) }.min() ?? 0, y: zip(ay, by).map { min($0, $1) }.min() ?? 0)
        let hi = (x: zip(ax, bx).map { max($0, $1) }.max() ?? 0, y: zip(ay, by).map { max($0, $1) }.max() ?? 0)
        // At most ~4 M buckets: a continent-sized scene gets larger buckets.
        var size = max(requested, 1)
        while ((hi.x - lo.x) / size + 1) * ((hi.y - lo.y) / size + 1) > 4e6 { size *= 2 }
        bucketSize = size
        minX = lo.x; minY = lo.y
        let columns = Int(((hi.x - lo.x) / size).rounded(.down)) + 1
        let rows = Int(((hi.y - lo.y) / size).rounded(.down)) + 1
        self.columns = columns
        self.rows = rows
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        func range(_ s: Int) -> (Int, Int, Int, Int) {
            let c0 = Int((min(ax[s], bx[s]) - lo.x) / size), c1 = Int((max(ax[s], bx[s]) - lo.x) / size)
            let r0 = Int((min(ay[s], by[s]) - lo.y) / size), r1 = Int((max(ay[s], by[s]) - lo.y) / size)
            return (min(c0, columns - 1), min(c1, columns - 1), min(r0, rows - 1), min(r1, rows - 1))
        }
        for s in ax.indices {
            let (c0, c1, r0, r1) = range(s)
            for r in r0...r1 { for c in c0...c1 { counts[r * columns + c + 1] += 1 } }
        }
        for b in 0..<(columns * rows) { counts[b + 1] += counts[b] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts[columns * rows]))
        for s in ax.indices {
            let (c0, c1, r0, r1) = range(s)
            for r in r0...r1 {
                for c in c0...c1 {
                    items[Int(fill[r * columns + c])] = Int32(s)
                    fill[r * columns + c] += 1
                }
            }
        }
        start = counts
        self.items = items
    }

    /// Distance from (px, py) to segment s: GEOS's point–segment distance, term for term
    /// (`CorridorIndex.pointToSegment`, the one §9's corridors use).
    @inline(__always)
    func distance(_ s: Int, _ px: Double, _ py: Double) -> Double {
        CorridorIndex.pointToSegment(px, py, ax[s], ay[s], bx[s], by[s])
    }

    /// Per-thread scratch: the best distance per route and a stamp per route.
    final class Scratch {
        var best: [Double]
        var stamp: [Int32]
        var epoch: Int32 = 0
        var touched: [Int32] = []
        init(routes: Int) {
            best = [Double](repeating: .infinity, count: routes)
            stamp = [Int32](repeating: -1, count: routes)
        }
    }

    /// The routes within `radius` of p with their distances, by route index.
    func routesWithin(_ radius: Double, of p: PlanarPoint, scratch: Scratch) -> [(route: Int32, distance: Double)] {
        scratch.epoch &+= 1
        scratch.touched.removeAll(keepingCapacity: true)
        let c0 = max(0, Int(((p.x - radius - minX) / bucketSize).rounded(.down)))
        let c1 = min(columns - 1, Int(((p.x + radius - minX) / bucketSize).rounded(.down)))
        let r0 = max(0, Int(((p.y - radius - minY) / bucketSize).rounded(.down)))
        let r1 = min(rows - 1, Int(((p.y + radius - minY) / bucketSize).rounded(.down)))
        guard c0 <= c1, r0 <= r1 else { return [] }
        for r in r0...r1 {
            for c in c0...c1 {
                let b = r * columns + c
                for k in Int(start[b])..<Int(start[b + 1]) {
                    let s = Int(items[k])
                    let d = distance(s, p.x, p.y)
                    guard d <= radius else { continue }
                    let rt = Int(route[s])
                    if scratch.stamp[rt] != scratch.epoch {
                        scratch.stamp[rt] = scratch.epoch
                        scratch.best[rt] = d
                        scratch.touched.append(Int32(rt))
                    } else if d < scratch.best[rt] {
                        scratch.best[rt] = d
                    }
                }
            }
        }
        return scratch.touched.sorted().map { ($0, scratch.best[Int($0)]) }
    }
}
