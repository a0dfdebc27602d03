import Foundation
import TOMLKit

/// A scene directory's `scene.toml`: `[layers]` names the layer files relative to it (or GDAL
/// connection strings, `PG:dbname=ops|layername=border.interceptions`, passed as they are),
/// `[options]` sets defaults for any `score` option (same names as the flags).
public struct SceneDescription: Sendable {
    public let directory: URL
    public let layers: [LayerName: LayerSource]
    public let options: [(name: String, value: String)]

    public static func load(directory: URL) throws -> SceneDescription {
        let file = directory.appendingPathComponent("scene.toml")
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw RunError.missingInput("scene directory not found: \(directory.path)")
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw RunError.missingInput("\(file.path): not found (a scene directory holds a scene.toml)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw RunError.badData(["\(file.path):\(error.source.begin.line): \(error.description)"])
        }
        var layers: [LayerName: LayerSource] = [:]
        var problems: [String] = []
        if let layerTable = table["layers"]?.table {
            for key in layerTable.keys.sorted() {
                guard let name = LayerName(rawValue: key) else {
                    problems.append("\(file.path): [layers]: unknown layer '\(key)' (known: \(LayerName.allCases.map(\.rawValue).joined(separator: ", ")))")
                    continue
                }
                guard let path = layerTable[key]?.string else {
                    problems.append("\(file.path): [layers] \(key): expected a file name or connection string in quotes")
                    continue
                }
                layers[name] = LayerSource.parse(path, relativeTo: directory)
            }
        }
        var options: [(String, String)] = []
        if let optionTable = table["options"]?.table {
            for key in optionTable.keys.sorted() {
                guard ScoreOptions.optionNames.contains(key) else {
                    problems.append("\(file.path): [options]: unknown option '\(key)' (known: \(ScoreOptions.optionNames.joined(separator: ", ")))")
                    continue
                }
                guard let value = optionTable[key] else { continue }
                if let s = value.string { options.append((key, s)) }
                else if let b = value.bool { options.append((key, b ? "true" : "false")) }
                else if let i = value.int { options.append((key, String(i))) }
                else if let d = value.double { options.append((key, String(d))) }
                else { problems.append("\(file.path): [options] \(key): expected a string, number or boolean") }
            }
        }
        if !problems.isEmpty { throw RunError.badData(problems) }
        return SceneDescription(directory: directory, layers: layers, options: options)
    }
}
