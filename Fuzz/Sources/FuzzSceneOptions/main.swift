import Foundation
import FuzzSupport
import RouteRisk

/// Bytes → `scene.toml` (TOMLKit) → option resolution (`ScoreOptions.set`: `5km`, `365d`,
/// dates, …) and the replay coverage (`1%`, `2000km2`). Every rejection is a usage or data
/// error that names the file or the option.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSceneOptions(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let directory = Invariants.scratch.appendingPathComponent("scene")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("scene.toml")
    let data = Data(bytes: start, count: count)
    guard (try? data.write(to: file)) != nil else { return 0 }
    do {
        let description = try SceneDescription.load(directory: directory)
        var options = ScoreOptions()
        for (name, value) in description.options {
            do {
                try options.set(name, to: value)
            } catch let RunError.usage(message) {
                Invariants.require(message.contains("--\(name)"), "usage error does not name --\(name): \(message)")
            }
        }
        Invariants.require(options.cellSize.isFinite && options.cellSize > 0, "cell \(options.cellSize)")
        Invariants.require(options.reach.isFinite && options.reach > 0, "reach \(options.reach)")
        Invariants.require(options.corridor.isFinite && options.corridor > 0, "corridor \(options.corridor)")
        if let w = options.windowDays { Invariants.require(w.isFinite && w > 0, "window \(w)") }
        if let h = options.halfLifeDays { Invariants.require(h.isFinite && h > 0, "half-life \(h)") }
        if let k = options.share { Invariants.require(k.minimumCount >= 2, "share \(k.minimumCount)") }
    } catch {
        Invariants.requireNamesFile(error, file: file.path)
    }
    // The replay's coverage from the same bytes as text.
    let text = String(decoding: data.prefix(64), as: UTF8.self)
    if let coverage = try? Coverage.parse(text) {
        let k = coverage.cellCount(n: 1000, cellArea: 21_650_635)
        Invariants.require(k >= 1 && k <= 1000, "coverage '\(text)' gives \(k) of 1000 cells")
    }
    return 0
}
