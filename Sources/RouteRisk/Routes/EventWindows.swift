/// Every route's corridor events (`RouteGeometryFacts.eventIndices`, ascending) visited window by window of
/// event indices: all the routes take their events below the window's end before any goes on. A window's
/// per-event records (262,144 events: 6 MB of route tallies) stay in the L3 cache while every route reads
/// them, where a route at a time would sweep the whole event table (24 MB at 1 M events) once per route. The
/// pairs are the same, and each route's come in the same ascending order, so sums over them are the same bits.
///
/// The window is large because the routes' lists are read in runs, one per window: short runs defeat the
/// hardware prefetcher on the lists (perf samples: windows of 16,384 events made the replay's per-step sums at
/// 200 k events 40 % slower than one window; at 1 M events, 16,384 to 262,144 gave the route tallies the same
/// halving against one window). Below 262,144 events there is one window: each route streams its list.
enum EventWindows {
    /// Event indices per window.
    static let size = 262_144

    /// Calls `body(j, run)` for each window and each route `routes.lowerBound + j` of `routes` with events in
    /// it, `run` being the route's events in the window (ascending; one run per piece of its list the window
    /// reaches into); windows in order, so the runs of a route put together are its list. `eventCount` bounds
    /// the events' indices.
    @inline(__always)
    static func forEachRun(_ facts: [RouteGeometryFacts], routes: Range<Int>, eventCount: Int,
                           windowSize: Int = EventWindows.size,
                           _ body: (_ j: Int, _ run: UnsafeBufferPointer<Int32>) -> Void) {
        let lists = routes.map { facts[$0].eventIndices.pieces }
        // Where each route has got to in its list: the piece, and the place in it.
        var piece = [Int](repeating: 0, count: routes.count), cursor = [Int](repeating: 0, count: routes.count)
        var windowEnd = 0
        while windowEnd < eventCount {
            windowEnd = Swift.min(eventCount, windowEnd + Swift.max(1, windowSize))
            let limit = Int32(truncatingIfNeeded: windowEnd)
            for j in lists.indices {
                while piece[j] < lists[j].count {
                    let reachedEnd = lists[j][piece[j]].withUnsafeBufferPointer { list -> Bool in
                        let from = cursor[j]
                        var c = from
                        while c < list.count, list[c] < limit { c += 1 }
                        if c > from { body(j, UnsafeBufferPointer(rebasing: list[from..<c])) }
                        cursor[j] = c
                        return c == list.count
                    }
                    guard reachedEnd else { break }
                    piece[j] += 1
                    cursor[j] = 0
                }
            }
        }
    }
}
