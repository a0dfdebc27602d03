internal import CGEOS

/// A GEOS failure, with the GEOS function that failed and the message GEOS gave.
public struct GeometryError: Error, CustomStringConvertible, Sendable {
    public let function: String
    public let message: String
    public var description: String { "GEOS \(function) failed: \(message)" }
}

/// Owns one `GEOSContextHandle_t` (`GEOS_init_r` / `GEOS_finish_r`); use it on one thread only.
///
/// Errors and notices that GEOS reports through its message handlers are kept and
/// attached to the `GeometryError` thrown by the call that failed (as GEOSwift does).
final class GEOSContext {
    let handle: GEOSContextHandle_t
    private(set) var lastError: String?
    /// The last notice (GEOS explains, e.g., why a geometry is invalid); attached to an error
    /// thrown after it when GEOS gave no error text of its own.
    private(set) var lastNotice: String?

    init() throws {
        // GEOS_init_r returns NULL when it cannot allocate.
        guard let handle = GEOS_init_r() else {
            throw GeometryError(function: "GEOS_init_r", message: "could not create a GEOS context")
        }
        self.handle = handle
        let me = Unmanaged.passUnretained(self).toOpaque()
        GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let userdata, let message else { return }
            let context = Unmanaged<GEOSContext>.fromOpaque(userdata).takeUnretainedValue()
            context.lastError = String(cString: message)
        }, me)
        GEOSContext_setNoticeMessageHandler_r(handle, { message, userdata in
            guard let userdata, let message else { return }
            Unmanaged<GEOSContext>.fromOpaque(userdata).takeUnretainedValue().lastNotice = String(cString: message)
        }, me)
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// Clears the message buffer before a call (shapely's `src/geos.c` does the same).
    @inline(__always)
    func reset() {
        lastError = nil
        lastNotice = nil
    }

    func error(_ function: String) -> GeometryError {
        GeometryError(function: function, message: lastError ?? lastNotice ?? "no message from GEOS")
    }

    /// For calls that return a new object or NULL on exception.
    func check<T>(_ result: T?, _ function: String) throws -> T {
        guard let result else { throw error(function) }
        return result
    }

    /// For calls that return 0 on exception (GEOSArea_r, GEOSLength_r, GEOSDistance_r, …).
    func checkStatus(_ status: Int32, _ function: String) throws {
        if status == 0 { throw error(function) }
    }

    /// For predicates, which return 2 on exception, else 0 or 1.
    func checkPredicate(_ result: CChar, _ function: String) throws -> Bool {
        if result == 2 { throw error(function) }
        return result == 1
    }
}
