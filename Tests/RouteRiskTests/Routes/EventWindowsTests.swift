import XCTest
@testable import RouteRisk

/// `EventWindows` gives each route's events once, ascending, in runs window by window of event indices.
final class EventWindowsTests: XCTestCase {
    func facts(_ lists: [[Int32]]) -> [RouteGeometryFacts] {
        // Slices of one array, as `CorridorIndex.eventsWithin` makes them (start indices other than 0).
        let flat = lists.flatMap { $0 }
        var start = 0
        return lists.map { list in
            defer { start += list.count }
            return RouteGeometryFacts(length: 0, corridorArea: 0, eventIndices: flat[start..<(start + list.count)],
                                      crossings: [], landings: [], intensitySamples: [])
        }
    }

    func visits(_ lists: [[Int32]], routes: Range<Int>, events: Int, window: Int) -> [(Int, Int)] {
        var seen: [(Int, Int)] = []
        EventWindows.forEachRun(facts(lists), routes: routes, eventCount: events, windowSize: window) { j, run in
            XCTAssertFalse(run.isEmpty)
            for e in run { seen.append((j, Int(e))) }
        }
        return seen
    }

    func testWindowsOfTwoEventsTakeEveryRouteInTurn() {
        let lists: [[Int32]] = [[0, 1, 2, 5], [], [1, 3, 4, 5], [6]]
        // Window [0, 2): route 0 takes 0 and 1, route 2 takes 1; [2, 4): 2, then 3; [4, 6): 5, then 4 and 5; [6, 7): 6.
        let expected = [(0, 0), (0, 1), (2, 1), (0, 2), (2, 3), (0, 5), (2, 4), (2, 5), (3, 6)]
        let seen = visits(lists, routes: 0..<4, events: 7, window: 2)
        XCTAssertEqual(seen.map(\.0), expected.map(\.0))
        XCTAssertEqual(seen.map(\.1), expected.map(\.1))
        // A range of routes: j counts from its start.
        let part = visits(lists, routes: 2..<4, events: 7, window: 2)
        XCTAssertEqual(part.map(\.0), [0, 0, 0, 0, 1])
        XCTAssertEqual(part.map(\.1), [1, 3, 4, 5, 6])
    }

    func testEachRouteGetsItsListInOrderWhateverTheWindow() {
        var generator = SystemRandomNumberGenerator()
        let events = 300
        let lists: [[Int32]] = (0..<40).map { _ in
            (0..<events).filter { _ in Int.random(in: 0..<5, using: &generator) == 0 }.map(Int32.init)
        }
        for window in [1, 7, 64, 299, 300, 10_000] {
            let seen = visits(lists, routes: 0..<lists.count, events: events, window: window)
            XCTAssertEqual(seen.count, lists.reduce(0) { $0 + $1.count })
            for (r, list) in lists.enumerated() {
                XCTAssertEqual(seen.filter { $0.0 == r }.map { Int32($0.1) }, list, "route \(r), windows of \(window)")
            }
        }
    }
}
