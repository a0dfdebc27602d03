/// Every route's corridor events (`RouteGeometryFacts.eventIndices`, ascending) visited window by window of
/// event indices: all the routes take their events below the window's end before any goes on. A window's
/// per-event records (16,384 events of a few words: a few hundred KB) stay in the core's L2 cache while every
/// route reads them, where a route at a time would sweep the whole event table (24 MB at 1 M events) once per
/// route. The pairs are the same, and each route's come in the same ascending order, so sums over them are
/// the same bits.
enum EventWindows {
    /// Event indices per window.
    static let size = 16_384

    /// Calls `body(j, e)` for each event e of route `routes.lowerBound + j`, for the routes of `routes`; each
    /// route's events ascending. `eventCount` bounds the events' indices.
    @inline(__always)
    static func forEachPair(_ facts: [RouteGeometryFacts], routes: Range<Int>, eventCount: Int,
                            windowSize: Int = EventWindows.size, _ body: (_ j: Int, _ e: Int) -> Void) {
        // Where each route has got to in its list.
        var cursor = [Int](repeating: 0, count: routes.count)
        var windowEnd = 0
        while windowEnd < eventCount {
            windowEnd = Swift.min(eventCount, windowEnd + Swift.max(1, windowSize))
            let limit = Int32(truncatingIfNeeded: windowEnd)
            for (j, r) in routes.enumerated() {
                facts[r].eventIndices.withUnsafeBufferPointer { list in
                    var c = cursor[j]
                    while c < list.count, list[c] < limit {
                        body(j, Int(list[c]))
                        c += 1
                    }
                    cursor[j] = c
                }
            }
        }
    }
}
