import Foundation

/// For each event, the routes within a distance and how far each is: the minimum over the
/// route's segments of GEOS's point–segment distance (`SegmentDistance.pointToSegment`). CSR by
/// event: event i's routes, ascending, are `route[start[i]..<start[i+1]]`, with `distance[…]`.
/// MODEL §13.1–2 (the forecast's attribution and jitter) read it.
struct RouteDistances: Sendable, Equatable {
    var start: [Int]
    var route: [Int32]
    var distance: [Double]

    var events: Int { start.count - 1 }

    /// The routes of event i.
    func range(_ i: Int) -> Range<Int> { start[i]..<start[i + 1] }

    /// From one list per event (tests and small cases).
    init(_ lists: [[(route: Int32, distance: Double)]]) {
        start = [0]
        route = []
        distance = []
        for list in lists {
            for (r, d) in list {
                route.append(r)
                distance.append(d)
            }
            start.append(route.count)
        }
    }

    init(start: [Int], route: [Int32], distance: [Double]) {
        self.start = start
        self.route = route
        self.distance = distance
    }

    /// Writes new lists over these in the storage they have: `body` gets the arrays emptied, taken out of this
    /// value meanwhile (so held once: its appends find them unique), and they are put back after it.
    mutating func rewrite(_ body: (_ start: inout [Int], _ route: inout [Int32], _ distance: inout [Double]) -> Void) {
        var start = self.start, route = self.route, distance = self.distance
        self = RouteDistances(start: [], route: [], distance: [])
        defer { self = RouteDistances(start: start, route: route, distance: distance) }
        start.removeAll(keepingCapacity: true)
        route.removeAll(keepingCapacity: true)
        distance.removeAll(keepingCapacity: true)
        body(&start, &route, &distance)
    }
}

extension CorridorIndex {
    /// Every route within the index's distance b of each event, with its distance (the same
    /// grid and route minima as `eventsWithin`, without its envelope check). Blocks of `blockSize` events are
    /// measured in grid-cell order (`measure`) and their lists gathered in event order, in parallel
    /// over fixed chunks; the result does not depend on the thread count.
    func routeDistances(_ events: [PlanarPoint], blockSize: Int = 65_536, partSize: Int = 4096) -> RouteDistances {
        guard !events.isEmpty else { return RouteDistances(start: [0], route: [], distance: []) }
        precondition(blockSize > 0, "blocks hold events")
        var parts: [RouteDistances] = []
        var block = MeasuredBlock()
        var lo = 0
        while lo < events.count {
            let range = lo..<Swift.min(events.count, lo + blockSize)
            var blockParts: [RouteDistances] = []
            routeDistances(events, range, partSize: partSize, into: &blockParts, block: &block)
            parts += blockParts
            lo = range.upperBound
        }
        block = MeasuredBlock()
        var out = RouteDistances(start: [0], route: [], distance: [])
        out.start.reserveCapacity(events.count + 1)
        out.route.reserveCapacity(parts.reduce(0) { $0 + $1.route.count })
        out.distance.reserveCapacity(out.route.capacity)
        // Each part's lists are freed once copied: the pairs are held about once, not twice.
        for c in parts.indices {
            let part = parts[c]
            parts[c] = RouteDistances(start: [0], route: [], distance: [])
            let offset = out.route.count
            out.start += part.start.dropFirst().map { $0 + offset }
            out.route += part.route
            out.distance += part.distance
        }
        return out
    }

    /// The lists of one block of events as measured, in grid-cell order: chunk c holds the lists of the
    /// events `order[c·chunkSize ..< (c + 1)·chunkSize]`, and `position[k]` is where the block's event k
    /// lies in that order.
    struct MeasuredBlock {
        var chunks: [RouteDistances] = []
        var position: [Int32] = []
        var chunkSize = 1

        /// The chunk that holds the block's event k, and its pairs there.
        @inline(__always)
        func place(of k: Int) -> (chunk: Int, pairs: Range<Int>) {
            let p = Int(position[k])
            let c = p / chunkSize
            return (c, chunks[c].range(p - c * chunkSize))
        }
    }

    /// The lists of `events[range]` into `parts` of `partSize` events each, in event order, each written over
    /// the storage it already has: a caller that hands the same parts and block back for the next range
    /// (`ForecastScene`'s streamed blocks) makes no new pages once they have grown. The range is measured in
    /// grid-cell order into `block` (a cell's segments stay in cache while its events come; in event order
    /// every candidate segment is a read from L3), then each part gathers its events' lists from it, in
    /// parallel: the attribution that reads the parts in event order then reads them one after the other.
    func routeDistances(_ events: [PlanarPoint], _ range: Range<Int>, partSize: Int, into parts: inout [RouteDistances],
                        block: inout MeasuredBlock) {
        precondition(partSize > 0, "parts hold events")
        measure(events, range, chunkSize: partSize, into: &block)
        let count = (range.count + partSize - 1) / partSize
        if parts.count > count { parts.removeLast(parts.count - count) }
        while parts.count < count { parts.append(RouteDistances(start: [0], route: [], distance: [])) }
        let measured = block
        parts.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            parallelForEachChunk(count: range.count, chunkSize: partSize) { p, local in
                gather(measured, local, into: &base[p])
            }
        }
    }

    /// `events[range]` measured in grid-cell order (`spatialOrder`), in parallel over chunks of `chunkSize` of
    /// that order, into `block` (its storage kept).
    func measure(_ events: [PlanarPoint], _ range: Range<Int>, chunkSize: Int, into block: inout MeasuredBlock) {
        let order = spatialOrder(events, range)
        let count = (range.count + chunkSize - 1) / chunkSize
        var chunks = block.chunks, position = block.position
        block = MeasuredBlock()
        if chunks.count > count { chunks.removeLast(chunks.count - count) }
        while chunks.count < count { chunks.append(RouteDistances(start: [0], route: [], distance: [])) }
        position.removeAll(keepingCapacity: true)
        position.append(contentsOf: repeatElement(0, count: range.count))
        for (p, i) in order.enumerated() { position[i - range.lowerBound] = Int32(truncatingIfNeeded: p) }
        chunks.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            parallelForEachChunk(count: range.count, chunkSize: chunkSize) { c, local in
                fill(&base[c], events, order[local])
            }
        }
        block = MeasuredBlock(chunks: chunks, position: position, chunkSize: chunkSize)
    }

    /// The lists of the block's events `events` (block-relative), in that order, written over `lists` (its storage
    /// kept, grown to the exact size).
    private func gather(_ block: MeasuredBlock, _ events: Range<Int>, into lists: inout RouteDistances) {
        lists.rewrite { start, route, distance in
            let pairs = events.reduce(0) { $0 + block.place(of: $1).pairs.count }
            route.reserveCapacity(pairs)
            distance.reserveCapacity(pairs)
            start.append(0)
            for k in events {
                let (c, pairs) = block.place(of: k)
                route += block.chunks[c].route[pairs]
                distance += block.chunks[c].distance[pairs]
                start.append(route.count)
            }
        }
    }

    /// The lists of `events[indices]`, in that order, written over `lists` (its storage kept): each route's minimum
    /// over its segments in the event's grid cell (`CellCandidates`), kept when it is ≤ b.
    private func fill<Indices: Collection<Int>>(_ lists: inout RouteDistances, _ events: [PlanarPoint], _ indices: Indices) {
        lists.rewrite { start, route, distance in
            start.append(0)
            guard columns > 0 else {
                start += repeatElement(0, count: indices.count)
                return
            }
            let b = self.distance
            let candidates = CellCandidates(longestCell: longestCell)
            withBuffers { g in
            events.withUnsafeBufferPointer { events in
                for i in indices {
                    defer { start.append(route.count) }
                    let px = events[i].x, py = events[i].y
                    guard let c = gridCell(px, py) else { continue }
                    if candidates.cell != c { candidates.load(c, g) }
                    candidates.measure(px, py)
                    let kept = candidates.keepWithin(b)
                    route.append(contentsOf: UnsafeBufferPointer(start: candidates.keptRoute, count: kept))
                    distance.append(contentsOf: UnsafeBufferPointer(start: candidates.keptDistance, count: kept))
                }
            }}
        }
    }

    /// For each event, the distance to its nearest route when one lies within b, else +∞: the
    /// minimum of `routeDistances`' distances, from the same candidates, without making the lists.
    ///
    /// One segment at a time, with a line prefilter that tightens as the event's best distance d* falls: a
    /// segment whose line lies farther than d* + 1 µm (and 1e-9 relative) cannot come nearer than d*, so only
    /// the segments that could lower the minimum are measured (the minimum is the same value: every distance
    /// it could be is still measured; the margin is far above the rounding of either expression, about 1e-8 m
    /// at coordinates of 10⁷ m). Once a near segment is found most others are skipped, which measuring every
    /// candidate two at a time (`CellCandidates`) does not: that took twice the time here.
    func nearestWithin(_ events: [PlanarPoint]) -> [Double] {
        var nearest = [Double](repeating: .infinity, count: events.count)
        guard columns > 0 else { return nearest }
        let b = distance, bb = b * b
        nearest.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            let order = spatialOrder(events)
            withBuffers { g in
            events.withUnsafeBufferPointer { events in
                parallelForEachChunk(count: events.count, chunkSize: 4096) { _, range in
                    for p in range {
                        let i = order[p]
                        let px = events[i].x, py = events[i].y
                        guard let c = gridCell(px, py) else { continue }
                        var best = Double.infinity
                        // The bound b²·|AB|²·(1 + 1e-9), scaled by ((d* + 1 µm)/b)² once d* < b.
                        var scale = 1.0
                        for slot in Int(g.cellStart[c])..<Int(g.cellStart[c + 1]) {
                            let segment = g.segments[Int(g.cellSegments[slot])]
                            let x0 = segment.ax, y0 = segment.ay, x1 = segment.bx, y1 = segment.by
                            let cross = SegmentDistance.lineCross(px, py, x0, y0, x1, y1)
                            if cross * cross > Self.rejectBeyond(bb, segment) * scale { continue }
                            let d = SegmentDistance.pointToSegment(px, py, x0, y0, x1, y1)
                            guard d <= b, d < best else { continue }
                            best = d
                            scale = Self.tightenedScale(d, b)
                        }
                        base[i] = best
                    }
                }
            }}
        }
        return nearest
    }

    /// The events' indices ordered by their grid cell (then index): consecutive events read the same cell's
    /// segments, which stay in cache. Of `range` only, when given. (Cells along a Z-order curve instead of
    /// row by row gave 8–14 % more perf samples at 200 k.)
    func spatialOrder(_ events: [PlanarPoint], _ range: Range<Int>? = nil) -> [Int] {
        let range = range ?? events.indices
        var keys = [UInt64](repeating: 0, count: range.count)
        for i in range {
            let c = gridCell(events[i].x, events[i].y).map { UInt64($0) + 1 } ?? 0
            keys[i - range.lowerBound] = c << 32 | UInt64(i)
        }
        keys.sort()
        return keys.map { Int($0 & 0xFFFF_FFFF) }
    }

    /// The factor of `rejectBeyond` (b²·|AB|²·(1 + 1e-9)) once a best distance d ≤ b is known: ((d + 1 µm)/b)²,
    /// at most 1 (and 1 when b = 0).
    @inline(__always)
    static func tightenedScale(_ d: Double, _ b: Double) -> Double {
        guard b > 0 else { return 1 }
        let ratio = (d + 1e-6) / b
        return Swift.min(1, ratio * ratio)
    }

    /// The distance from p to the nearest segment of any route when it is ≤ `limit`, else nil.
    /// Rings of grid cells outward from p's cell: a segment at distance d from p is listed in
    /// the cell that holds its point nearest to p, which lies in ring ⌈d/cell⌉ or closer, so the
    /// search stops once the best distance found is within the rings already seen.
    func nearestDistance(to p: PlanarPoint, within limit: Double) -> Double? {
        guard columns > 0 else { return nil }
        // The grid covers every segment: a point farther than the limit from it has none within.
        let gridMaxX = originX + Double(columns) * cell, gridMaxY = originY + Double(rows) * cell
        guard p.x >= originX - limit, p.y >= originY - limit, p.x <= gridMaxX + limit, p.y <= gridMaxY + limit else { return nil }
        let cx = Int(((p.x - originX) / cell).rounded(.down)), cy = Int(((p.y - originY) / cell).rounded(.down))
        var best = Double.infinity
        var ring = 0
        while true {
            // Cells of ring k lie at least (k − 1)·cell from p.
            let reach = Double(ring - 1) * cell
            if reach > limit || best <= reach { break }
            // The rows and columns of the ring (clamped to the grid); stop when it leaves the grid.
            let c0 = cx - ring, c1 = cx + ring, r0 = cy - ring, r1 = cy + ring
            if c0 < 0 && r0 < 0 && c1 >= columns && r1 >= rows { break }
            func visit(_ row: Int, _ column: Int) {
                guard row >= 0, row < rows, column >= 0, column < columns else { return }
                let c = row * columns + column
                for slot in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                    let g = segments[Int(cellSegments[slot])]
                    best = Swift.min(best, SegmentDistance.pointToSegment(p.x, p.y, g.ax, g.ay, g.bx, g.by))
                }
            }
            let rowLo = Swift.max(0, r0), rowHi = Swift.min(rows - 1, r1)
            let columnLo = Swift.max(0, c0), columnHi = Swift.min(columns - 1, c1)
            if rowLo <= rowHi, columnLo <= columnHi {
                for row in rowLo...rowHi {
                    if row == r0 || row == r1 {
                        for column in columnLo...columnHi { visit(row, column) }
                    } else {
                        visit(row, c0)
                        if c1 != c0 { visit(row, c1) }
                    }
                }
            }
            ring += 1
        }
        return best <= limit ? best : nil
    }
}
