internal import CGDAL
import Foundation

/// A GDAL/OGR failure, with the message from `CPLGetLastErrorMsg`.
public struct GDALError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// One-time GDAL set-up: register the drivers, and route GDAL's messages into a quiet
/// handler so that they reach the user only through our errors (`CPLGetLastErrorMsg`).
enum GDAL {
    static let registered: Void = {
        GDALAllRegister()
        CPLSetErrorHandler(CPLQuietErrorHandler)
    }()

    static func ensureRegistered() { _ = registered }

    /// Clears GDAL's last error before a call (the error state is per thread).
    static func resetError() { CPLErrorReset() }

    static func lastError(path: String, fallback: String) -> GDALError {
        let text = CPLGetLastErrorMsg().map { String(cString: $0) } ?? ""
        return GDALError(path: path, message: text.isEmpty ? fallback : text)
    }

    /// A driver message on one line: libpq's lines joined, GDAL's "PQconnectdb failed." prefix dropped.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "PQconnectdb failed." }.joined(separator: " ")
    }

    /// A NULL-terminated C string list (`char **`), freed after `body`.
    static func withStringList<T>(_ items: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> T) rethrows -> T {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        for item in items { list = CSLAddString(list, item) }
        defer { CSLDestroy(list) }
        return try body(list)
    }

    /// The same list as `CSLConstList` (`const char * const *`).
    static func withConstStringList<T>(_ items: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> T) rethrows -> T {
        try withStringList(items) { list in
            try body(list.map { UnsafePointer<UnsafePointer<CChar>?>(OpaquePointer($0)) })
        }
    }
}
