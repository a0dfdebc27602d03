internal import CGEOS

/// A prepared geometry (`GEOSPrepare_r`), which indexes its base for repeated predicates.
/// It keeps its base geometry alive and frees its own pointer (`GEOSPreparedGeom_destroy_r`).
final class PreparedGeometry {
    let base: Geometry
    private let pointer: OpaquePointer

    init(_ base: Geometry) throws {
        base.context.reset()
        // GEOSPrepare_r returns NULL on exception.
        pointer = try base.context.check(GEOSPrepare_r(base.context.handle, base.pointer), "GEOSPrepare_r")
        self.base = base
    }

    deinit {
        GEOSPreparedGeom_destroy_r(base.context.handle, pointer)
    }

    /// `GEOSPreparedDistanceWithin_r` (GEOS ≥ 3.10): distance ≤ d.
    func isWithinDistance(_ d: Double, of other: Geometry) throws -> Bool {
        let c = base.context
        c.reset()
        return try c.checkPredicate(
            GEOSPreparedDistanceWithin_r(c.handle, pointer, other.pointer, d), "GEOSPreparedDistanceWithin_r")
    }

    /// `GEOSPreparedContains_r` (interior, not boundary).
    func contains(_ other: Geometry) throws -> Bool {
        let c = base.context
        c.reset()
        return try c.checkPredicate(GEOSPreparedContains_r(c.handle, pointer, other.pointer), "GEOSPreparedContains_r")
    }

    /// `GEOSPreparedContains_r` on a pointer the caller keeps alive; returns GEOS's raw 0/1/2.
    func containsBorrowed(_ other: OpaquePointer) -> CChar {
        GEOSPreparedContains_r(base.context.handle, pointer, other)
    }

    func intersects(_ other: Geometry) throws -> Bool {
        let c = base.context
        c.reset()
        return try c.checkPredicate(GEOSPreparedIntersects_r(c.handle, pointer, other.pointer), "GEOSPreparedIntersects_r")
    }
}
