internal import CGEOS

/// One owned GEOS geometry: it frees its pointer in `deinit` (`GEOSGeom_destroy_r`).
///
/// A geometry belongs to the context that made it and is used on that context's thread.
final class Geometry {
    let context: GEOSContext
    let pointer: OpaquePointer

    /// Takes ownership of a pointer that GEOS returned as a new object.
    init(owning pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, pointer)
    }

    private var h: GEOSContextHandle_t { context.handle }

    /// Runs a GEOS call that returns a new geometry or NULL on exception.
    private func derive(_ function: String, _ body: () -> OpaquePointer?) throws -> Geometry {
        context.reset()
        return Geometry(owning: try context.check(body(), function), context: context)
    }

    // MARK: Construction

    static func fromWKB(_ bytes: [UInt8], context: GEOSContext) throws -> Geometry {
        context.reset()
        // GEOSWKBReader_create_r returns NULL on exception.
        let reader = try context.check(GEOSWKBReader_create_r(context.handle), "GEOSWKBReader_create_r")
        defer { GEOSWKBReader_destroy_r(context.handle, reader) }
        let g = bytes.withUnsafeBufferPointer { buffer in
            GEOSWKBReader_read_r(context.handle, reader, buffer.baseAddress, buffer.count)
        }
        return Geometry(owning: try context.check(g, "GEOSWKBReader_read_r"), context: context)
    }

    static func fromWKT(_ text: String, context: GEOSContext) throws -> Geometry {
        context.reset()
        let reader = try context.check(GEOSWKTReader_create_r(context.handle), "GEOSWKTReader_create_r")
        defer { GEOSWKTReader_destroy_r(context.handle, reader) }
        let g = GEOSWKTReader_read_r(context.handle, reader, text)
        return Geometry(owning: try context.check(g, "GEOSWKTReader_read_r"), context: context)
    }

    static func point(_ p: PlanarPoint, context: GEOSContext) throws -> Geometry {
        context.reset()
        return Geometry(
            owning: try context.check(
                GEOSGeom_createPointFromXY_r(context.handle, p.x, p.y), "GEOSGeom_createPointFromXY_r"),
            context: context)
    }

    /// A LineString from at least two points.
    /// A new coordinate sequence owned by the caller (who hands it to a factory or destroys it).
    private static func coordinateSequence(_ points: [PlanarPoint], context: GEOSContext) throws -> OpaquePointer {
        try points.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: Double.self) { doubles in
                // GEOSCoordSeq_copyFromBuffer_r returns NULL on exception; buffer is x,y interleaved.
                try context.check(
                    GEOSCoordSeq_copyFromBuffer_r(context.handle, doubles.baseAddress, UInt32(points.count), 0, 0),
                    "GEOSCoordSeq_copyFromBuffer_r")
            }
        }
    }

    static func lineString(_ points: [PlanarPoint], context: GEOSContext) throws -> Geometry {
        context.reset()
        let h = context.handle
        let seq = try coordinateSequence(points, context: context)
        // On failure the factory does not take the sequence: destroy it before throwing.
        guard let line = GEOSGeom_createLineString_r(h, seq) else {
            GEOSCoordSeq_destroy_r(h, seq)
            throw context.error("GEOSGeom_createLineString_r")
        }
        return Geometry(owning: line, context: context)
    }

    /// A Polygon with one exterior ring (closed here if it is not already).
    static func polygon(exterior ring: [PlanarPoint], context: GEOSContext) throws -> Geometry {
        context.reset()
        let h = context.handle
        var closed = ring
        if let first = ring.first, ring.last != first { closed.append(first) }
        let seq = try coordinateSequence(closed, context: context)
        guard let shell = GEOSGeom_createLinearRing_r(h, seq) else {
            GEOSCoordSeq_destroy_r(h, seq)
            throw context.error("GEOSGeom_createLinearRing_r")
        }
        // GEOSGeom_createPolygon_r returns NULL on exception, leaving the shell with the caller.
        guard let polygon = GEOSGeom_createPolygon_r(h, shell, nil, 0) else {
            GEOSGeom_destroy_r(h, shell)
            throw context.error("GEOSGeom_createPolygon_r")
        }
        return Geometry(owning: polygon, context: context)
    }

    /// A LineString, or a MultiLineString when there is more than one part.
    static func lines(_ parts: [[PlanarPoint]], context: GEOSContext, multi: Bool = false) throws -> Geometry {
        if parts.count == 1 && !multi { return try lineString(parts[0], context: context) }
        return try collection(
            of: parts.map { try lineString($0, context: context) }, type: GEOS_MULTILINESTRING,
            context: context)
    }

    static func multiPoint(_ points: [PlanarPoint], context: GEOSContext) throws -> Geometry {
        try collection(of: points.map { try point($0, context: context) }, type: GEOS_MULTIPOINT, context: context)
    }

    /// A collection that takes ownership of its members' pointers.
    private static func collection(of members: [Geometry], type: GEOSGeomTypes, context: GEOSContext) throws -> Geometry {
        context.reset()
        var pointers: [OpaquePointer?] = members.map { GEOSGeom_clone_r(context.handle, $0.pointer) }
        let g = pointers.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(context.handle, Int32(type.rawValue), buffer.baseAddress, UInt32(buffer.count))
        }
        guard let g else {
            for p in pointers { if let p { GEOSGeom_destroy_r(context.handle, p) } }
            throw context.error("GEOSGeom_createCollection_r")
        }
        return Geometry(owning: g, context: context)
    }

    // MARK: Output

    var wkb: [UInt8] {
        get throws {
            context.reset()
            let writer = try context.check(GEOSWKBWriter_create_r(h), "GEOSWKBWriter_create_r")
            defer { GEOSWKBWriter_destroy_r(h, writer) }
            var size = 0
            let buffer = try context.check(GEOSWKBWriter_write_r(h, writer, pointer, &size), "GEOSWKBWriter_write_r")
            defer { GEOSFree_r(h, buffer) }
            return Array(UnsafeBufferPointer(start: buffer, count: size))
        }
    }

    var wkt: String {
        get throws {
            context.reset()
            let writer = try context.check(GEOSWKTWriter_create_r(h), "GEOSWKTWriter_create_r")
            defer { GEOSWKTWriter_destroy_r(h, writer) }
            GEOSWKTWriter_setTrim_r(h, writer, 1)
            let text = try context.check(GEOSWKTWriter_write_r(h, writer, pointer), "GEOSWKTWriter_write_r")
            defer { GEOSFree_r(h, text) }
            return String(cString: text)
        }
    }

    // MARK: Structure

    enum Kind: Int32 {
        case point = 0, lineString, linearRing, polygon, multiPoint, multiLineString, multiPolygon, collection
    }

    var kind: Kind {
        get throws {
            context.reset()
            // GEOSGeomTypeId_r returns -1 on exception.
            let id = GEOSGeomTypeId_r(h, pointer)
            guard let kind = Kind(rawValue: id) else { throw context.error("GEOSGeomTypeId_r") }
            return kind
        }
    }

    var isEmpty: Bool {
        get throws { context.reset(); return try context.checkPredicate(GEOSisEmpty_r(h, pointer), "GEOSisEmpty_r") }
    }

    var isValid: Bool {
        get throws { context.reset(); return try context.checkPredicate(GEOSisValid_r(h, pointer), "GEOSisValid_r") }
    }

    /// Why GEOS finds the geometry invalid (`GEOSisValidReason_r`).
    var invalidityReason: String {
        context.reset()
        guard let text = GEOSisValidReason_r(h, pointer) else { return context.lastError ?? "unknown" }
        defer { GEOSFree_r(h, text) }
        return String(cString: text)
    }

    var geometryCount: Int {
        get throws {
            context.reset()
            // GEOSGetNumGeometries_r returns -1 on exception.
            let n = GEOSGetNumGeometries_r(h, pointer)
            if n < 0 { throw context.error("GEOSGetNumGeometries_r") }
            return Int(n)
        }
    }

    /// The coordinates of a Point, LineString or LinearRing.
    var coordinates: [PlanarPoint] {
        get throws {
            context.reset()
            // GEOSGeom_getCoordSeq_r returns a borrowed sequence (never freed here) or NULL.
            let seq = try context.check(GEOSGeom_getCoordSeq_r(h, pointer), "GEOSGeom_getCoordSeq_r")
            var size: UInt32 = 0
            try context.checkStatus(GEOSCoordSeq_getSize_r(h, seq, &size), "GEOSCoordSeq_getSize_r")
            var points = [PlanarPoint](repeating: PlanarPoint(x: 0, y: 0), count: Int(size))
            if size > 0 {
                try points.withUnsafeMutableBufferPointer { buffer in
                    try buffer.withMemoryRebound(to: Double.self) { doubles in
                        try context.checkStatus(
                            GEOSCoordSeq_copyToBuffer_r(h, seq, doubles.baseAddress, 0, 0),
                            "GEOSCoordSeq_copyToBuffer_r")
                    }
                }
            }
            return points
        }
    }

    /// The linear parts (LineStrings, polygon rings as their boundary) as coordinate lists;
    /// points and empty parts are dropped. Used to keep "the linear parts" after MakeValid.
    func linearParts() throws -> [[PlanarPoint]] {
        switch try kind {
        case .lineString, .linearRing:
            let c = try coordinates
            return c.count >= 2 ? [c] : []
        case .polygon, .multiPolygon:
            return try boundary().linearParts()
        case .multiLineString, .collection:
            var parts: [[PlanarPoint]] = []
            for i in 0..<(try geometryCount) {
                // GEOSGetGeometryN_r returns a borrowed pointer: clone it to own it.
                context.reset()
                let borrowed = try context.check(GEOSGetGeometryN_r(h, pointer, Int32(i)), "GEOSGetGeometryN_r")
                let owned = Geometry(
                    owning: try context.check(GEOSGeom_clone_r(h, borrowed), "GEOSGeom_clone_r"), context: context)
                parts += try owned.linearParts()
            }
            return parts
        case .point, .multiPoint:
            return []
        }
    }

    /// Every point of a Point/MultiPoint/collection, and the coordinates of point members only.
    func pointMembers() throws -> [PlanarPoint] {
        switch try kind {
        case .point: return try isEmpty ? [] : coordinates
        case .multiPoint, .collection:
            var points: [PlanarPoint] = []
            for i in 0..<(try geometryCount) {
                context.reset()
                let borrowed = try context.check(GEOSGetGeometryN_r(h, pointer, Int32(i)), "GEOSGetGeometryN_r")
                let owned = Geometry(
                    owning: try context.check(GEOSGeom_clone_r(h, borrowed), "GEOSGeom_clone_r"), context: context)
                points += try owned.pointMembers()
            }
            return points
        default: return []
        }
    }

    struct Envelope: Equatable {
        var minX, minY, maxX, maxY: Double
    }

    var envelope: Envelope {
        get throws {
            context.reset()
            var e = Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)
            // GEOSGeom_getExtent_r returns 0 on exception (and for empty geometries).
            try context.checkStatus(
                GEOSGeom_getExtent_r(h, pointer, &e.minX, &e.minY, &e.maxX, &e.maxY), "GEOSGeom_getExtent_r")
            return e
        }
    }

    // MARK: Measures

    var length: Double {
        get throws {
            context.reset()
            var value = 0.0
            try context.checkStatus(GEOSLength_r(h, pointer, &value), "GEOSLength_r")
            return value
        }
    }

    var area: Double {
        get throws {
            context.reset()
            var value = 0.0
            try context.checkStatus(GEOSArea_r(h, pointer, &value), "GEOSArea_r")
            return value
        }
    }

    func distance(to other: Geometry) throws -> Double {
        context.reset()
        var value = 0.0
        try context.checkStatus(GEOSDistance_r(h, pointer, other.pointer, &value), "GEOSDistance_r")
        return value
    }

    func isWithinDistance(_ d: Double, of other: Geometry) throws -> Bool {
        context.reset()
        return try context.checkPredicate(GEOSDistanceWithin_r(h, pointer, other.pointer, d), "GEOSDistanceWithin_r")
    }

    // MARK: Operations

    /// `GEOSBufferWithStyle_r`: round caps and joins with `quadrantSegments` per quarter circle.
    func buffer(by width: Double, quadrantSegments: Int32 = 8) throws -> Geometry {
        try derive("GEOSBufferWithStyle_r") {
            GEOSBufferWithStyle_r(
                h, pointer, width, quadrantSegments, Int32(GEOSBUF_CAP_ROUND.rawValue),
                Int32(GEOSBUF_JOIN_ROUND.rawValue), 5.0)
        }
    }

    func intersection(_ other: Geometry) throws -> Geometry {
        try derive("GEOSIntersection_r") { GEOSIntersection_r(h, pointer, other.pointer) }
    }

    func boundary() throws -> Geometry {
        try derive("GEOSBoundary_r") { GEOSBoundary_r(h, pointer) }
    }

    func lineMerge() throws -> Geometry {
        try derive("GEOSLineMerge_r") { GEOSLineMerge_r(h, pointer) }
    }

    /// `GEOSMakeValidWithParams_r` with the "structure" method, keeping collapsed (linear) parts.
    func makeValid() throws -> Geometry {
        context.reset()
        let params = try context.check(GEOSMakeValidParams_create_r(h), "GEOSMakeValidParams_create_r")
        defer { GEOSMakeValidParams_destroy_r(h, params) }
        _ = GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE)
        _ = GEOSMakeValidParams_setKeepCollapsed_r(h, params, 1)
        return try derive("GEOSMakeValidWithParams_r") { GEOSMakeValidWithParams_r(h, pointer, params) }
    }

    /// The point at distance `d` along a LineString (`GEOSInterpolate_r`).
    func interpolate(_ d: Double) throws -> PlanarPoint {
        let p = try derive("GEOSInterpolate_r") { GEOSInterpolate_r(h, pointer, d) }
        guard let c = try p.coordinates.first else { throw context.error("GEOSInterpolate_r") }
        return c
    }

    /// `GEOSTopologyPreserveSimplify_r`: Douglas–Peucker that keeps the topology valid.
    func simplified(tolerance: Double) throws -> Geometry {
        try derive("GEOSTopologyPreserveSimplify_r") { GEOSTopologyPreserveSimplify_r(h, pointer, tolerance) }
    }

    func clone() throws -> Geometry {
        try derive("GEOSGeom_clone_r") { GEOSGeom_clone_r(h, pointer) }
    }

    func prepared() throws -> PreparedGeometry {
        try PreparedGeometry(self)
    }
}
