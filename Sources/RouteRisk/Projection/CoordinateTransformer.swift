internal import CPROJ

/// Owns one `PJ_CONTEXT` (one per thread, as pyproj and georust/proj do) and collects
/// the text of `PJ_LOG_ERROR` messages, so that they become the thrown error's message.
final class ProjContext {
    let pointer: OpaquePointer
    fileprivate var lastMessage: String?

    init() {
        // proj_context_create never returns NULL for lack of input; it may on OOM, which we treat as fatal.
        pointer = proj_context_create()
        proj_log_level(pointer, PJ_LOG_ERROR)
        proj_log_func(pointer, Unmanaged.passUnretained(self).toOpaque()) { data, level, message in
            guard let data, let message else { return }
            Unmanaged<ProjContext>.fromOpaque(data).takeUnretainedValue().lastMessage = String(cString: message)
        }
    }

    deinit {
        proj_context_destroy(pointer)
    }

    func error(_ operation: String, errno: Int32? = nil) -> ProjectionError {
        var text = lastMessage ?? ""
        if let errno, errno != 0, let s = proj_context_errno_string(pointer, errno) {
            text = text.isEmpty ? String(cString: s) : "\(text) (\(String(cString: s)))"
        }
        return ProjectionError(operation: operation, message: text.isEmpty ? "unknown error" : text)
    }
}

/// Transforms coordinates between two CRSs with `proj_create_crs_to_crs`, normalised with
/// `proj_normalize_for_visualization` so that geographic CRSs are in (lon, lat) order.
final class CoordinateTransformer {
    let context: ProjContext
    private let pj: OpaquePointer
    let source: String
    let target: String

    init(from source: String, to target: String, context: ProjContext = ProjContext()) throws {
        self.context = context
        self.source = source
        self.target = target
        context.lastMessage = nil
        guard let raw = proj_create_crs_to_crs(context.pointer, source, target, nil) else {
            throw context.error("cannot build a transformation from '\(source)' to '\(target)'",
                                errno: proj_context_errno(context.pointer))
        }
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(context.pointer, raw) else {
            throw context.error("cannot normalise axis order for '\(source)' → '\(target)'",
                                errno: proj_context_errno(context.pointer))
        }
        pj = normalized
    }

    deinit {
        proj_destroy(pj)
    }

    /// Transforms `points` in place (x = lon or easting, y = lat or northing).
    /// Any non-finite result is an error naming the first offending input point.
    func transform(_ points: inout [PlanarPoint], inverse: Bool = false) throws {
        guard !points.isEmpty else { return }
        let original = points
        proj_errno_reset(pj)
        context.lastMessage = nil
        let stride = MemoryLayout<PlanarPoint>.stride
        let n = points.count
        points.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            let xs = base.assumingMemoryBound(to: Double.self)
            let ys = (base + MemoryLayout<Double>.stride).assumingMemoryBound(to: Double.self)
            _ = proj_trans_generic(pj, inverse ? PJ_INV : PJ_FWD, xs, stride, n, ys, stride, n, nil, 0, 0, nil, 0, 0)
        }
        let errno = proj_errno(pj)
        if let bad = points.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            let p = original[bad]
            throw context.error("cannot transform (\(p.x), \(p.y)) from '\(inverse ? target : source)'", errno: errno)
        }
        if errno != 0 { throw context.error("transform from '\(source)' to '\(target)'", errno: errno) }
    }

    func transformed(_ points: [PlanarPoint], inverse: Bool = false) throws -> [PlanarPoint] {
        var copy = points
        try transform(&copy, inverse: inverse)
        return copy
    }
}

/// Facts about a CRS definition, for validating `--crs`.
enum CRSInspector {
    /// Throws unless `definition` is a projected CRS that PROJ knows.
    static func requireProjected(_ definition: String) throws {
        let context = ProjContext()
        guard let pj = proj_create(context.pointer, definition) else {
            throw context.error("unknown CRS '\(definition)'", errno: proj_context_errno(context.pointer))
        }
        defer { proj_destroy(pj) }
        guard proj_get_type(pj) == PJ_TYPE_PROJECTED_CRS else {
            throw ProjectionError(operation: "CRS '\(definition)'", message: "is not a projected CRS (metres are needed)")
        }
    }

    /// The CRS as a PROJ string (`proj_as_proj_string`, PROJ 5 form), e.g. for EPSG:32749
    /// "+proj=utm +zone=49 +south +datum=WGS84 +units=m +no_defs +type=crs".
    static func projString(_ definition: String) throws -> String {
        let context = ProjContext()
        guard let pj = proj_create(context.pointer, definition) else {
            throw context.error("unknown CRS '\(definition)'", errno: proj_context_errno(context.pointer))
        }
        defer { proj_destroy(pj) }
        guard let text = proj_as_proj_string(context.pointer, pj, PJ_PROJ_5, nil) else {
            throw context.error("CRS '\(definition)' has no PROJ string form")
        }
        return String(cString: text)
    }
}

extension CoordinateTransformer {
    /// `transformer.transformed(points)` on every core: pieces of `pieceSize` points, one transformer (one PROJ
    /// context) per worker thread — the first worker uses `transformer`, the others make their own on their thread.
    /// The same points as one call (PROJ transforms point by point); the error of the first piece, in order, that
    /// fails.
    static func transformedInParallel(_ points: [PlanarPoint], with transformer: CoordinateTransformer,
                                      pieceSize: Int = 65_536) throws -> [PlanarPoint] {
        let pieces = (points.count + pieceSize - 1) / pieceSize
        let workers = Swift.min(Parallelism.threadCount, pieces)
        guard workers > 1 else { return try transformer.transformed(points) }
        let source = transformer.source, target = transformer.target
        var out = points
        var failures = [Error?](repeating: nil, count: pieces)
        out.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { failures in
                let base = out.baseAddress!, failed = failures.baseAddress!
                Parallelism.run(workers: workers) { w in
                    let own: CoordinateTransformer
                    do { own = w == 0 ? transformer : try CoordinateTransformer(from: source, to: target) } catch {
                        failed[w] = error
                        return
                    }
                    var k = w
                    while k < pieces {
                        let start = k * pieceSize, count = Swift.min(pieceSize, points.count - start)
                        var piece = Array(UnsafeBufferPointer(start: base + start, count: count))
                        do {
                            try own.transform(&piece)
                            (base + start).update(from: piece, count: count)
                        } catch {
                            failed[k] = error
                        }
                        k += workers
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        return out
    }
}
