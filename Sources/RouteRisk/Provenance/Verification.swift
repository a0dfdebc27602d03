import Foundation

/// `routerisk verify`: re-hashes the inputs a summary recorded and says which changed.
public struct Verification: Sendable {
    public enum Finding: Sendable, Equatable {
        case unchanged(role: String, path: String)
        case changed(role: String, path: String, recorded: String, now: String, recordedBytes: Int?, nowBytes: Int)
        case missing(role: String, path: String)
        /// A database source: it cannot be re-hashed.
        case notHashed(role: String, source: String)
    }

    public let summaryPath: String
    public let findings: [Finding]

    /// True when every file matches (database sources do not count against it).
    public var allMatch: Bool {
        !findings.contains {
            switch $0 {
            case .changed, .missing: return true
            default: return false
            }
        }
    }

    /// Reads `summary.json` or `replay-summary.json` (the `provenance` object at its top level,
    /// or under `summary`) and re-hashes every file it lists.
    public static func verify(summaryAt url: URL) throws -> Verification {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RunError.missingInput("\(url.path): not found (give a summary.json or replay-summary.json)")
        }
        let provenance = try Self.provenance(in: data, path: url.path)
        var findings: [Finding] = []
        for input in provenance.inputs {
            if let path = input.path, let recorded = input.sha256 {
                guard FileManager.default.fileExists(atPath: path) else {
                    findings.append(.missing(role: input.role, path: path))
                    continue
                }
                let now: (hex: String, bytes: Int)
                do { now = try FileDigest.sha256(path: path) } catch {
                    findings.append(.missing(role: input.role, path: path))
                    continue
                }
                if now.hex == recorded.lowercased() && (input.bytes == nil || input.bytes == now.bytes) {
                    findings.append(.unchanged(role: input.role, path: path))
                } else {
                    findings.append(.changed(role: input.role, path: path, recorded: recorded, now: now.hex,
                                             recordedBytes: input.bytes, nowBytes: now.bytes))
                }
            } else {
                findings.append(.notHashed(role: input.role, source: input.source ?? input.path ?? "?"))
            }
        }
        return Verification(summaryPath: url.path, findings: findings)
    }

    static func provenance(in data: Data, path: String) throws -> Provenance {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RunError.unusable(["\(path): not a JSON object (give a summary.json or replay-summary.json)"])
        }
        let candidate = object["provenance"] ?? (object["summary"] as? [String: Any])?["provenance"]
        guard let candidate, let provenanceData = try? JSONSerialization.data(withJSONObject: candidate),
              let provenance = try? JSONDecoder().decode(Provenance.self, from: provenanceData)
        else {
            throw RunError.unusable(["\(path): no provenance recorded (written by a routerisk before input hashes were recorded?)"])
        }
        return provenance
    }

    /// One line per input, then the verdict.
    public var report: String {
        var lines: [String] = []
        for f in findings {
            switch f {
            case let .unchanged(role, path): lines.append("ok       \(role): \(path)")
            case let .changed(role, path, recorded, now, recordedBytes, nowBytes):
                let size = recordedBytes.map { $0 == nowBytes ? "" : ", \($0) → \(nowBytes) bytes" } ?? ""
                lines.append("CHANGED  \(role): \(path) (sha256 \(recorded.prefix(12))… → \(now.prefix(12))…\(size))")
            case let .missing(role, path): lines.append("MISSING  \(role): \(path)")
            case let .notHashed(role, source): lines.append("skipped  \(role): \(source) (a database source is not re-hashed)")
            }
        }
        let bad = findings.filter {
            if case .unchanged = $0 { return false }
            if case .notHashed = $0 { return false }
            return true
        }.count
        lines.append(allMatch
            ? "\(summaryPath): every input file matches the recorded SHA-256"
            : "\(summaryPath): \(bad) input file\(bad == 1 ? "" : "s") changed or missing: the outputs no longer correspond to the files")
        return lines.joined(separator: "\n")
    }
}
