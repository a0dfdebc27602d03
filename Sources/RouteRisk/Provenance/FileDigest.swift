internal import COpenSSL
import Foundation

/// A failure of libcrypto or of reading the file being hashed.
public struct DigestError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// SHA-256 of a file, streamed through OpenSSL's EVP interface (`EVP_DigestInit_ex`,
/// `EVP_DigestUpdate`, `EVP_DigestFinal_ex`, each returning 1 on success).
public enum FileDigest {
    /// The lower-case hex SHA-256 and the byte size of the file at `path`.
    public static func sha256(path: String) throws -> (hex: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DigestError(path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let hasher = try SHA256Hasher(path: path)
        var bytes = 0
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw DigestError(path: path, reason: "cannot read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            bytes += chunk.count
            try hasher.update(chunk)
        }
        return (try hasher.finish(), bytes)
    }

    /// The lower-case hex SHA-256 of `data`.
    public static func sha256(_ data: Data) throws -> String {
        let hasher = try SHA256Hasher(path: "<memory>")
        try hasher.update(data)
        return try hasher.finish()
    }
}

/// One owner of one `EVP_MD_CTX` (freed in deinit).
private final class SHA256Hasher {
    private let context: OpaquePointer
    private let path: String

    init(path: String) throws {
        self.path = path
        // EVP_MD_CTX_new returns NULL on allocation failure.
        guard let context = EVP_MD_CTX_new() else { throw DigestError(path: path, reason: "EVP_MD_CTX_new failed") }
        self.context = context
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            throw DigestError(path: path, reason: "EVP_DigestInit_ex(SHA-256) failed")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ data: Data) throws {
        let ok = data.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        guard ok == 1 else { throw DigestError(path: path, reason: "EVP_DigestUpdate failed") }
    }

    func finish() throws -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else {
            throw DigestError(path: path, reason: "EVP_DigestFinal_ex failed")
        }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}
