import XCTest
@testable import RouteRisk

/// `EventWindows` gives each route's events once, ascending, in runs window by window of event indices.
final class EventWindowsTests: XCTestCase {
    /// Each list as slices of one array, as `CorridorIndex.eventsWithin` makes them (start indices other than 0),
    /// cut into pieces below each of `cuts` (as its blocks of events cut them).
    func facts(_ lists: [[Int32]], cuts: [Int32] = []) -> [RouteGeometryFacts] {
        let flat = lists.flatMap { $0 }
        var start = 0
        return lists.map { list in
            defer { start += list.count }
            var pieces: [ArraySlice<Int32>] = []
            var from = start
            for cut in cuts + [Int32.max] {
                let to = start + (list.firstIndex { $0 >= cut } ?? list.count)
                if to > from { pieces.append(flat[from..<to]) }
                from = Swift.max(from, to)
            }
            return RouteGeometryFacts(length: 0, corridorArea: 0, eventIndices: CorridorEvents(pieces: pieces),
                                      crossings: [], landings: [], intensitySamples: [])
        }
    }

    func visits(_ lists: [[Int32]], cuts: [Int32] = [], routes: Range<Int>, events: Int, window: Int) -> [(Int, Int)] {
        var seen: [(Int, Int)] = []
        EventWindows.forEachRun(facts(lists, cuts: cuts), routes: routes, eventCount: events, windowSize: window) { j, run in
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
        // Lists in one piece, and cut into pieces (blocks of events) across and inside the windows.
        for cuts: [Int32] in [[], [100, 200], [1, 2, 3, 150, 299], [64, 128, 192, 256]] {
            for window in [1, 7, 64, 299, 300, 10_000] {
                let seen = visits(lists, cuts: cuts, routes: 0..<lists.count, events: events, window: window)
                XCTAssertEqual(seen.count, lists.reduce(0) { $0 + $1.count })
                for (r, list) in lists.enumerated() {
                    XCTAssertEqual(seen.filter { $0.0 == r }.map { Int32($0.1) }, list, "route \(r), windows of \(window), cuts \(cuts)")
                }
                // Window by window: no route's run of a window comes after a later window's run.
                let windowOf = seen.map { $0.1 / window }
                XCTAssertEqual(windowOf, windowOf.sorted(), "windows of \(window), cuts \(cuts)")
            }
        }
    }

    /// `CorridorEvents`: the events of its pieces in order, equal however they are cut, empty pieces dropped.
    func testCorridorEventsAreTheirPiecesInOrder() {
        let a: [Int32] = [1, 4, 9], b: [Int32] = [12, 30]
        let events = CorridorEvents(pieces: [a[...], [][...], b[...]])
        XCTAssertEqual(Array(events), [1, 4, 9, 12, 30])
        XCTAssertEqual(events.count, 5)
        XCTAssertEqual(events.pieces.count, 2)
        XCTAssertEqual(events, [1, 4, 9, 12, 30])
        XCTAssertNotEqual(events, [1, 4, 9, 12])
        XCTAssertTrue(CorridorEvents(pieces: [[][...]]).isEmpty)
    }
}
