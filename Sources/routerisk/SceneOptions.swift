import ArgumentParser
import Foundation
import RouteRisk

/// The scene and layer flags shared by every subcommand; a flag overrides `scene.toml`.
struct SceneOptions: ParsableArguments {
    @Option(name: .customLong("scene"), help: ArgumentHelp("Scene directory holding a scene.toml (default: the bundled sample scene).", valueName: "dir"))
    var scene: String?

    // A layer source is a file or a GDAL connection string, with QGIS's `|layername=NAME` for one
    // layer of a multi-layer source: "PG:dbname=ops|layername=border.interceptions".
    @Option(help: ArgumentHelp("Coastline layer: any OGR source, a file or a connection string (PG:…), with |layername=NAME for one of several.", valueName: "source"))
    var coastline: String?
    @Option(help: ArgumentHelp("International land borders layer.", valueName: "source"))
    var borders: String?
    @Option(help: ArgumentHelp("Crossing posts layer (name, kind = land|sea).", valueName: "source"))
    var posts: String?
    @Option(help: ArgumentHelp("Candidate routes layer (id, name).", valueName: "source"))
    var routes: String?
    @Option(help: ArgumentHelp("Interceptions: CSV (id,date,lon,lat,persons,category,mode) or an OGR point layer.", valueName: "source"))
    var interceptions: String?

    @Option(name: .customLong("crs-in"), help: ArgumentHelp("CRS of OGR layers that declare none (default: lon/lat WGS84).", valueName: "crs"))
    var crsIn: String?

    @Flag(name: .customLong("skip-invalid"), help: "Report invalid rows and features, skip them and go on.")
    var skipInvalid = false

    /// The bundled sample scene: `data/` of this checkout, found from this source file's path
    /// at build time (or `ROUTERISK_SAMPLE_SCENE`), so it works from any working directory.
    static var sampleSceneDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["ROUTERISK_SAMPLE_SCENE"] {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data")
    }

    /// The `scene.toml` read by `resolve` (nil when only layer flags are given), for the provenance.
    var sceneFile: URL? {
        let anyLayerFlag = [coastline, borders, posts, routes, interceptions].contains { $0 != nil }
        let directory: URL? = scene.map { URL(fileURLWithPath: $0) } ?? (anyLayerFlag ? nil : Self.sampleSceneDirectory)
        return directory?.appendingPathComponent("scene.toml")
    }

    /// What the run reads, hashed now, and the command line (`summary.json` `provenance`).
    func provenance(_ options: ScoreOptions) throws -> Provenance {
        Provenance(
            model: Summary.modelName, arguments: CommandLine.arguments,
            inputs: try Provenance.sceneInputs(sceneFile: sceneFile, layers: options.layers))
    }

    /// Resolves layers and options: defaults, then `scene.toml`, then the flags.
    func resolve(into options: inout ScoreOptions, flags: [(String, String?)]) throws {
        let anyLayerFlag = [coastline, borders, posts, routes, interceptions].contains { $0 != nil }
        let sceneDirectory: URL? = scene.map { URL(fileURLWithPath: $0) } ?? (anyLayerFlag ? nil : Self.sampleSceneDirectory)
        if let sceneDirectory {
            let description = try SceneDescription.load(directory: sceneDirectory)
            options.layers = description.layers
            for (name, value) in description.options { try options.set(name, to: value) }
        }
        let layerFlags: [(LayerName, String?)] = [
            (.coastline, coastline), (.borders, borders), (.posts, posts), (.routes, routes), (.interceptions, interceptions),
        ]
        for (layer, path) in layerFlags {
            if let path { options.layers[layer] = LayerSource.parse(path) }
        }
        if let crsIn { try options.set("crs-in", to: crsIn) }
        if skipInvalid { options.skipInvalid = true }
        for (name, value) in flags {
            if let value { try options.set(name, to: value) }
        }
    }
}

/// Prints stage progress on stderr, only when stderr is a terminal and only for stages that
/// take longer than a second.
final class TerminalProgress {
    private let enabled = isatty(STDERR_FILENO) != 0
    private var timer: DispatchSourceTimer?
    private var shown = false
    private let queue = DispatchQueue(label: "routerisk.progress")

    func handle(_ stage: String, finished: Bool, seconds: Double) {
        guard enabled else { return }
        queue.sync {
            if !finished {
                shown = false
                let t = DispatchSource.makeTimerSource(queue: queue)
                t.schedule(deadline: .now() + 1)
                t.setEventHandler { [weak self] in
                    self?.shown = true
                    FileHandle.standardError.write(Data("routerisk: \(stage)…".utf8))
                }
                t.resume()
                timer = t
            } else {
                timer?.cancel()
                timer = nil
                if shown { FileHandle.standardError.write(Data(String(format: " %.1f s\n", seconds).utf8)) }
            }
        }
    }

    /// A transient note within a long stage (e.g. "step 3 of 24"), overwritten in place.
    func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[Krouterisk: \(text)".utf8))
    }
}
