import XCTest
@testable import RouteRisk

/// `CorridorIndex.routeDistances` and `nearestDistance` against a brute force over every segment
/// of every route (the minimum of GEOS's point–segment distance), on random routes and points.
final class CorridorDistancesTests: XCTestCase {
    func randomScene(seed: UInt64, routes count: Int, events eventCount: Int) -> ([[[PlanarPoint]]], [PlanarPoint]) {
        var rng = CorridorIndexTests.Random(state: seed)
        let routes = CorridorIndexTests.randomRoutes(&rng, count: count, span: 40_000, maxStep: 20_000)
        let events = (0..<eventCount).map { _ in PlanarPoint(x: rng.uniform(-70_000, 70_000), y: rng.uniform(-70_000, 70_000)) }
        return (routes, events)
    }

    /// The minimum over route r's segments of the distance from p.
    func bruteDistance(_ parts: [[PlanarPoint]], _ p: PlanarPoint) -> Double {
        var best = Double.infinity
        for part in parts {
            for (a, b) in zip(part, part.dropFirst()) {
                best = min(best, SegmentDistance.pointToSegment(p.x, p.y, a.x, a.y, b.x, b.y))
            }
        }
        return best
    }

    func testRouteDistancesAreEveryRouteWithinTheDistanceAndItsNearestSegment() {
        let (routes, events) = randomScene(seed: 11, routes: 50, events: 5000)
        let b = 3000.0
        var expected: [[(route: Int32, distance: Double)]] = []
        for p in events {
            expected.append(routes.indices.compactMap { r in
                let d = bruteDistance(routes[r], p)
                return d <= b ? (Int32(r), d) : nil
            })
        }
        let index = CorridorIndex(routes: routes, distance: b)
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            XCTAssertEqual(index.routeDistances(events), RouteDistances(expected), "\(threads) threads")
            // The nearest route within b by brute force, +∞ where there is none.
            XCTAssertEqual(index.nearestWithin(events), expected.map { $0.map(\.distance).min() ?? .infinity }, "\(threads) threads")
        }
        Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount
        XCTAssertGreaterThan(expected.filter(\.isEmpty).count, 100)
        let pairs = expected.map(\.count).reduce(0, +)
        XCTAssertGreaterThan(pairs, 2000)
        XCTAssertGreaterThan(expected.filter { $0.count > 1 }.count, 300)
    }

    /// Ranges measured in grid-cell order and gathered into parts, each range into the parts and the measured block
    /// of the range before (their storage reused, as `ForecastScene`'s streamed blocks do), give the brute force's
    /// lists of the range: ranges of 4500 events and 500, parts of 7, 333 and a whole range, 1 and 2 threads.
    func testRangesInPartsEqualTheBruteForceListsOfTheRange() {
        let (routes, events) = randomScene(seed: 13, routes: 50, events: 5000)
        let b = 3000.0
        let expected: [[(route: Int32, distance: Double)]] = events.map { p in
            routes.indices.compactMap { r in
                let d = bruteDistance(routes[r], p)
                return d <= b ? (Int32(r), d) : nil
            }
        }
        let index = CorridorIndex(routes: routes, distance: b)
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            for partSize in [7, 333, 4500] {
                var parts: [RouteDistances] = []
                var block = CorridorIndex.MeasuredBlock()
                for range in [0..<4500, 4500..<5000] {
                    index.routeDistances(events, range, partSize: partSize, into: &parts, block: &block)
                    XCTAssertEqual(parts.count, (range.count + partSize - 1) / partSize)
                    var joined: [[(route: Int32, distance: Double)]] = []
                    for part in parts {
                        for i in 0..<part.events { joined.append(part.range(i).map { (part.route[$0], part.distance[$0]) }) }
                    }
                    XCTAssertEqual(RouteDistances(joined), RouteDistances(Array(expected[range])),
                                   "\(threads) threads, parts of \(partSize), events \(range)")
                }
            }
            // Every event's lists at once, measured block by block (blocks of 1000 and 7 events, chunks of 64 and 3).
            for (blockSize, partSize) in [(1000, 64), (7, 3)] {
                XCTAssertEqual(index.routeDistances(events, blockSize: blockSize, partSize: partSize), RouteDistances(expected),
                               "\(threads) threads, blocks of \(blockSize), parts of \(partSize)")
            }
        }
        Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount
    }

    /// A measured block holds each event's lists where `position` says, in the grid-cell order of the events (not
    /// their order): two events far apart in the list but in one grid cell are measured one after the other.
    func testMeasuredBlockPlacesEachEventsListsInGridCellOrder() {
        let routes: [[[PlanarPoint]]] = [
            [[PlanarPoint(x: 0, y: 0), PlanarPoint(x: 10, y: 0)]],
            [[PlanarPoint(x: 0, y: 100), PlanarPoint(x: 10, y: 100)]],
        ]
        // b = 4: grid cells of 2 m. Events 0 and 2 near route 0 (one cell), event 1 near route 1, event 3 near none.
        let index = CorridorIndex(routes: routes, distance: 4)
        let events = [PlanarPoint(x: 5, y: 1), PlanarPoint(x: 5, y: 99), PlanarPoint(x: 5.5, y: 1.2), PlanarPoint(x: 5, y: 50)]
        var block = CorridorIndex.MeasuredBlock()
        index.measure(events, 0..<4, chunkSize: 2, into: &block)
        // Grid cells of b/2 = 2 m from (−4, −4): events 0 and 2 lie in row 2, column 4; event 3 in row 27 (no
        // segment is registered there); event 1 in row 51. Cells row by row.
        XCTAssertEqual(index.spatialOrder(events), [0, 2, 3, 1])
        XCTAssertEqual(block.position, [0, 3, 1, 2])
        XCTAssertEqual(block.chunks.count, 2)
        let lists = (0..<4).map { k -> [Int32] in
            let (c, pairs) = block.place(of: k)
            return Array(block.chunks[c].route[pairs])
        }
        XCTAssertEqual(lists, [[0], [1], [0], []])
        let (c0, p0) = block.place(of: 2)
        XCTAssertEqual(block.chunks[c0].distance[p0], [1.2])
    }

    /// The tightening prefilter of `nearestWithin` and the fixed one of `routeDistances` keep the exact minimum where routes nearly coincide:
    /// copies of routes moved by 1 nm to 1 mm, as routes of their own and as second parts of the same route (so
    /// that several segments, of several routes and of one, lie within a hair of the best one),
    /// events on vertices (d = 0), on segments and a hair off them, at UTM-like coordinates of 10⁶–10⁷ m.
    func testTightenedPrefiltersAmongNearlyCoincidentRoutesKeepTheBruteForceMinimum() {
        var rng = CorridorIndexTests.Random(state: 21)
        let base = CorridorIndexTests.randomRoutes(&rng, count: 12, span: 30_000, maxStep: 15_000)
            .map { $0.map { $0.map { PlanarPoint(x: $0.x + 600_000, y: $0.y + 9_300_000) } } }
        var routes = base
        for shift in [1e-9, 1e-7, 1e-6, 2e-6, 1e-5, 1e-3] {
            for parts in base.prefix(6) {
                let moved = parts.map { $0.map { PlanarPoint(x: $0.x + shift, y: $0.y - shift / 2) } }
                routes.append(moved)
                // And within one route: the parts again, moved, after the originals (a route's minimum
                // may come from a later, nearly coincident segment).
                routes.append(parts + moved)
            }
        }
        var events: [PlanarPoint] = []
        for parts in base {
            for part in parts {
                for (a, e) in zip(part, part.dropFirst()) {
                    events.append(a)
                    for t in [0.25, 0.5, 0.9] {
                        let p = PlanarPoint(x: a.x + t * (e.x - a.x), y: a.y + t * (e.y - a.y))
                        events.append(p)
                        events.append(PlanarPoint(x: p.x + 3e-7, y: p.y - 4e-7))
                        events.append(PlanarPoint(x: p.x - 1.5, y: p.y + 700))
                    }
                }
            }
        }
        let b = 3000.0
        let lists = events.map { p in
            routes.indices.compactMap { r -> (route: Int32, distance: Double)? in
                let d = bruteDistance(routes[r], p)
                return d <= b ? (Int32(r), d) : nil
            }
        }
        let expected = lists.map { $0.map(\.distance).min() ?? .infinity }
        let index = CorridorIndex(routes: routes, distance: b)
        XCTAssertEqual(index.nearestWithin(events), expected)
        XCTAssertEqual(index.routeDistances(events), RouteDistances(lists))
        // Not trivial: many events lie on a route or within a micrometre of one.
        XCTAssertGreaterThan(expected.filter { $0 < 1e-6 }.count, 100)
    }

    func testNearestDistanceBeyondTheIndexDistanceMatchesTheBruteForce() {
        let (routes, events) = randomScene(seed: 12, routes: 30, events: 3000)
        let index = CorridorIndex(routes: routes, distance: 3000)
        var found = 0
        for p in events {
            let d = routes.map { bruteDistance($0, p) }.min()!
            let got = index.nearestDistance(to: p, within: 10_000)
            if d <= 10_000 {
                XCTAssertEqual(got, d, "\(p)")
                found += 1
            } else {
                XCTAssertNil(got, "\(p)")
            }
        }
        // Points far outside every route's reach, and points beyond the grid.
        XCTAssertNil(index.nearestDistance(to: PlanarPoint(x: 1e7, y: -1e7), within: 10_000))
        XCTAssertGreaterThan(found, 500)
        XCTAssertLessThan(found, 3000)
    }

    func testHandWorkedRouteDistances() {
        let routes: [[[PlanarPoint]]] = [
            [[PlanarPoint(x: 0, y: 0), PlanarPoint(x: 10, y: 0), PlanarPoint(x: 10, y: 10)]],
            [[PlanarPoint(x: 0, y: 6), PlanarPoint(x: 4, y: 6)]],
        ]
        // (5, 3): 3 from route 0's first segment, √(1 + 9) = 3.16 from route 1's end (4, 6);
        // (8, 8): 2 from route 0's second segment, √(16 + 4) from (4, 6); (20, 20): none within 4.
        let index = CorridorIndex(routes: routes, distance: 4)
        let got = index.routeDistances([PlanarPoint(x: 5, y: 3), PlanarPoint(x: 8, y: 8), PlanarPoint(x: 20, y: 20)])
        XCTAssertEqual(got, RouteDistances([[(0, 3), (1, 10.0.squareRoot())], [(0, 2)], []]))
        // (20, 20) is √(100 + 100) from (10, 10).
        XCTAssertEqual(index.nearestDistance(to: PlanarPoint(x: 20, y: 20), within: 15)!, 200.0.squareRoot(), accuracy: 1e-12)
        XCTAssertNil(index.nearestDistance(to: PlanarPoint(x: 20, y: 20), within: 14))
    }
}
