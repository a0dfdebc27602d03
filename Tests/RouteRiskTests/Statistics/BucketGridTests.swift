import XCTest
@testable import RouteRisk

final class BucketGridTests: XCTestCase {
    /// The grid's slots must be the points stably sorted by (⌊y/size⌋, ⌊x/size⌋) — input order within a bucket —
    /// or every kernel sum would add its terms in another order. Checked against a sort written out here, on
    /// clustered points (many to a bucket), points on bucket edges and negative coordinates, one point, and a
    /// spread too thin for the flat layout (its dictionary fallback).
    func testSlotsAreTheStableSortByBucket() {
        var rng = SplitMix64(seed: 11)
        func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * Double(rng.next() >> 11) * 0x1.0p-53 }
        var scenes: [(points: [PlanarPoint], size: Double)] = []
        // Clusters: a few hundred points in a handful of 1 km buckets, with repeats.
        var clustered: [PlanarPoint] = []
        for _ in 0..<600 {
            let centre = [PlanarPoint(x: -2500, y: 800), PlanarPoint(x: 1200, y: -3100), PlanarPoint(x: 0, y: 0)][Int(rng.next() % 3)]
            clustered.append(PlanarPoint(x: centre.x + uniform(-1500, 1500), y: centre.y + uniform(-1500, 1500)))
        }
        clustered += [PlanarPoint(x: 0, y: 0), PlanarPoint(x: -1000, y: 1000), PlanarPoint(x: 1000, y: -1000), PlanarPoint(x: 0, y: 0)]
        scenes.append((clustered, 1000))
        scenes.append(([PlanarPoint(x: 5, y: 7)], 3))
        // By hand: buckets (by, bx) = (0, 0) holds points 0 and 2, (0, 1) point 1, (1, 2) point 3: slots 0, 2, 1, 3.
        scenes.append(([PlanarPoint(x: 0, y: 0), PlanarPoint(x: 1.5, y: 0), PlanarPoint(x: 0.2, y: 0.1), PlanarPoint(x: 2.5, y: 1)], 1))
        scenes.append(((0..<300).map { _ in PlanarPoint(x: uniform(-5e5, 5e5), y: uniform(-5e5, 5e5)) }, 750))
        // 2²⁶ buckets and more: the dictionary layout.
        scenes.append(([PlanarPoint(x: 0, y: 0), PlanarPoint(x: 1e7, y: 1e7), PlanarPoint(x: 5, y: 5), PlanarPoint(x: 1e7 + 1, y: 0)], 1))
        XCTAssertEqual(BucketGrid(points: scenes[2].points, bucketSize: 1).indices, [0, 2, 1, 3])
        for (points, size) in scenes {
            let grid = BucketGrid(points: points, bucketSize: size)
            let key = { (i: Int) in (BucketGrid.index(points[i].y, size), BucketGrid.index(points[i].x, size), i) }
            let expected = points.indices.sorted { key($0) < key($1) }
            XCTAssertEqual(grid.indices, expected, "\(points.count) points, bucket \(size)")
            XCTAssertEqual(grid.xs, expected.map { points[$0].x })
            XCTAssertEqual(grid.ys, expected.map { points[$0].y })
            // A query visits exactly the points of the buckets within its reach, in slot order.
            for q in [points[0], PlanarPoint(x: 0, y: 0), PlanarPoint(x: 999.999, y: -1000), PlanarPoint(x: 1e7, y: 1e7)] {
                for radius in [size * 0.5, size, size * 2.5] {
                    var visited: [Int] = []
                    grid.forEachCandidate(near: q, radius: radius) { visited.append($0) }
                    let bx = BucketGrid.index(q.x - radius, size)...BucketGrid.index(q.x + radius, size)
                    let by = BucketGrid.index(q.y - radius, size)...BucketGrid.index(q.y + radius, size)
                    let inReach = expected.indices.filter { slot in
                        by.contains(BucketGrid.index(points[expected[slot]].y, size))
                            && bx.contains(BucketGrid.index(points[expected[slot]].x, size))
                    }
                    XCTAssertEqual(visited, inReach, "query \(q), radius \(radius)")
                }
            }
        }
    }
}
