internal import CGEOS

/// A GEOS STRtree over a list of geometries whose queries return indices into that list,
/// in ascending order (as shapely 2's `STRtree.query`). The tree keeps the geometries alive.
final class STRtree {
    let context: GEOSContext
    let geometries: [Geometry]
    private let tree: OpaquePointer

    /// The indexed geometries' pointers, borrowed (owned by `geometries`), for batch tests.
    private let pointers: [OpaquePointer]

    init(_ geometries: [Geometry], context: GEOSContext, nodeCapacity: Int = 10) throws {
        self.context = context
        self.geometries = geometries
        self.pointers = geometries.map(\.pointer)
        context.reset()
        // GEOSSTRtree_create_r returns NULL on exception.
        tree = try context.check(GEOSSTRtree_create_r(context.handle, nodeCapacity), "GEOSSTRtree_create_r")
        for (i, g) in geometries.enumerated() {
            // The item is the index + 1, so that index 0 is not a null pointer.
            GEOSSTRtree_insert_r(context.handle, tree, g.pointer, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
        // GEOS 3.11 has no GEOSSTRtree_build_r; a first query builds the tree (shapely does the same).
        if let first = geometries.first { _ = try query(first) }
    }

    deinit {
        GEOSSTRtree_destroy_r(context.handle, tree)
    }

    /// Indices of the geometries whose envelope intersects the envelope of `geometry`.
    func query(_ geometry: Geometry) throws -> [Int] {
        final class Sink { var hits: [Int] = [] }
        let sink = Sink()
        context.reset()
        withExtendedLifetime(sink) {
            GEOSSTRtree_query_r(context.handle, tree, geometry.pointer, { item, userdata in
                guard let item, let userdata else { return }
                Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue().hits.append(Int(bitPattern: item) - 1)
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        if let message = context.lastError { throw GeometryError(function: "GEOSSTRtree_query_r", message: message) }
        return sink.hits.sorted()
    }

    /// Of `candidates`, those whose geometry lies within distance `d` of `geometry`
    /// (`GEOSDistanceWithin_r`), accepting at once those inside `quickAccept`
    /// (`GEOSPreparedContains_r`, a polygon known to lie within `d`). One tight loop
    /// over borrowed pointers: no Swift object is touched per candidate.
    func filter(_ candidates: [Int], withinDistance d: Double, of geometry: Geometry, quickAccept: PreparedGeometry?) throws -> [Int] {
        let h = context.handle
        let target = geometry.pointer
        var kept: [Int] = []
        kept.reserveCapacity(candidates.count)
        context.reset()
        try withExtendedLifetime((geometries, geometry, quickAccept)) {
            for i in candidates {
                let p = pointers[i]
                if let quickAccept {
                    let inside = quickAccept.containsBorrowed(p)  // 2 on exception
                    if inside == 1 { kept.append(i); continue }
                    if inside == 2 { throw context.error("GEOSPreparedContains_r") }
                }
                let near = GEOSDistanceWithin_r(h, target, p, d)  // 2 on exception
                if near == 2 { throw context.error("GEOSDistanceWithin_r") }
                if near == 1 { kept.append(i) }
            }
        }
        return kept
    }

    /// Indices of the geometries whose envelope intersects the rectangle.
    func query(minX: Double, minY: Double, maxX: Double, maxY: Double) throws -> [Int] {
        let box = try Geometry.lines(
            [[PlanarPoint(x: minX, y: minY), PlanarPoint(x: maxX, y: maxY)]], context: context)
        return try query(box)
    }
}
