import Foundation

/// The version of routerisk written into every summary. SwiftPM runs no script at build
/// time without a plugin, so this is the package's version constant, not `git describe`.
public enum RouteRiskVersion {
    public static let current = "0.9.0"
    public static let source = "package version constant"
}

/// What a run read and how it was started (`summary.json`, `replay-summary.json`
/// `provenance`): with it `routerisk verify` tells whether a map still corresponds to its files.
public struct Provenance: Codable, Sendable, Equatable {
    /// One input: a file with its SHA-256 and size, or a database source with its row count.
    public struct Input: Codable, Sendable, Equatable {
        /// `scene` (scene.toml) or a layer name; a sidecar file of a layer is `layer:ext` (`routes:dbf`).
        public var role: String
        /// Absolute path of a file.
        public var path: String?
        public var bytes: Int?
        public var sha256: String?
        /// A database source (connection string and table or query), password masked.
        public var source: String?
        /// Rows read from a database source.
        public var rows: Int?

        public init(role: String, path: String?, bytes: Int?, sha256: String?, source: String? = nil, rows: Int? = nil) {
            self.role = role
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
            self.source = source
            self.rows = rows
        }

        /// A file, hashed now.
        public static func file(role: String, path: String) throws -> Input {
            let digest = try FileDigest.sha256(path: path)
            return Input(role: role, path: path, bytes: digest.bytes, sha256: digest.hex)
        }

        /// A database layer (a PostGIS source): the source with any password masked, and the
        /// number of rows read (nil until the run has read them). It cannot be re-hashed;
        /// `verify` reports it.
        public static func database(role: String, source: String, rows: Int?) -> Input {
            Input(role: role, path: nil, bytes: nil, sha256: nil,
                  source: CommandLineText.maskingPasswords(ConnectionString.masked(source)), rows: rows)
        }
    }

    public var routerisk_version: String
    public var version_source: String
    public var model: String
    /// The command line as typed (arguments shell-quoted where needed), passwords masked.
    public var command_line: String
    public var inputs: [Input]

    public init(model: String, arguments: [String], inputs: [Input]) {
        routerisk_version = RouteRiskVersion.current
        version_source = RouteRiskVersion.source
        self.model = model
        command_line = CommandLineText.render(arguments)
        self.inputs = inputs
    }

    /// The files of a scene: `scene.toml` (when there is one) and every layer, with the
    /// sidecar files of a Shapefile (`.shx`, `.dbf`, `.prj`, `.cpg`), which GDAL reads too.
    public static func sceneInputs(sceneFile: URL?, layers: [LayerName: LayerSource]) throws -> [Input] {
        var inputs: [Input] = []
        func add(_ role: String, _ path: String) throws {
            do { inputs.append(try .file(role: role, path: path)) } catch let e as DigestError {
                // Every input is read here first (for its SHA-256), so this is where a missing one shows.
                throw RunError.missingInput("\(role) input \(e.description)")
            }
        }
        if let sceneFile, FileManager.default.fileExists(atPath: sceneFile.path) { try add("scene", sceneFile.standardizedFileURL.path) }
        for layer in LayerName.allCases {
            guard let source = layers[layer] else { continue }
            guard let url = source.fileURL?.standardizedFileURL else {
                inputs.append(.database(role: layer.rawValue, source: source.description, rows: nil))
                continue
            }
            try add(layer.rawValue, url.path)
            if url.pathExtension.lowercased() == "shp" {
                for ext in ["shx", "dbf", "prj", "cpg"] {
                    let sidecar = url.deletingPathExtension().appendingPathExtension(ext)
                    if FileManager.default.fileExists(atPath: sidecar.path) { try add("\(layer.rawValue):\(ext)", sidecar.path) }
                }
            }
        }
        return inputs
    }
}

extension Provenance {
    /// The rows read from each database layer, once the run has read them (`scene.counts`).
    public func withDatabaseRows(_ counts: [LayerName: LayerCount]) -> Provenance {
        var p = self
        for i in p.inputs.indices where p.inputs[i].source != nil {
            if let layer = LayerName(rawValue: p.inputs[i].role) { p.inputs[i].rows = counts[layer]?.read }
        }
        return p
    }
}

/// The command line as text for a summary: each argument shell-quoted when it needs it,
/// and every password masked (`password=…` in a GDAL/libpq connection string, the
/// `user:secret@` of a URI, the value after `--password`).
public enum CommandLineText {
    public static func render(_ arguments: [String]) -> String {
        var masked: [String] = []
        var maskNext = false
        for argument in arguments {
            if maskNext {
                masked.append("***")
                maskNext = false
                continue
            }
            if argument == "--password" || argument == "--db-password" { maskNext = true }
            masked.append(maskingPasswords(argument))
        }
        return masked.map(quoted).joined(separator: " ")
    }

    /// `password=secret` → `password=***` (also `password='a b'`, any case, `pwd=`),
    /// `scheme://user:secret@host` → `scheme://user:***@host`, `--password=x` → `--password=***`.
    public static func maskingPasswords(_ text: String) -> String {
        var s = text
        let patterns = [
            #"(?i)\b(password|passwd|pwd)\s*=\s*'(?:[^'\\]|\\.)*'"#,
            #"(?i)\b(password|passwd|pwd)\s*=\s*"(?:[^"\\]|\\.)*""#,
            #"(?i)\b(password|passwd|pwd)\s*=\s*[^\s'"|]+"#,
        ]
        for pattern in patterns {
            s = s.replacingOccurrences(of: pattern, with: "$1=***", options: .regularExpression)
        }
        // A URI's userinfo: scheme://user:secret@host.
        s = s.replacingOccurrences(of: #"(://[^:/@\s]*):[^@/\s]*@"#, with: "$1:***@", options: .regularExpression)
        return s
    }

    static func quoted(_ argument: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,%@+")
        if !argument.isEmpty, argument.unicodeScalars.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
