import XCTest
@testable import RouteRisk

/// MODEL §10 replay on the tiny fixture scene: step times, no leakage, determinism.
final class ReplayRunTests: XCTestCase {
    static let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny")

    func options(layers: [LayerName: LayerSource]) -> ScoreOptions {
        var o = ScoreOptions()
        o.layers = layers
        o.now = Timestamp.parse("2026-01-01")!
        return o
    }

    func tinyLayers(interceptions: URL? = nil) throws -> [LayerName: LayerSource] {
        var layers = try SceneDescription.load(directory: Self.tiny).layers
        if let interceptions { layers[.interceptions] = LayerSource(url: interceptions) }
        return layers
    }

    func testStepTimesRunWhileTIsAtMostTo() {
        let r = ReplayRun(options: ScoreOptions(), replay: ReplayOptions(
            from: Timestamp.parse("2024-01-01")!, to: Timestamp.parse("2024-03-01")!, stepDays: 30))
        // Jan 1 + 30 d = Jan 31, + 60 d = Mar 1 (2024 is a leap year: Jan 31 + 30 = Mar 1).
        XCTAssertEqual(r.stepTimes.map(Timestamp.isoDate), ["2024-01-01", "2024-01-31", "2024-03-01"])
    }

    func testAFutureEventChangesNothingBeforeItsDate() throws {
        let replay = ReplayOptions(from: Timestamp.parse("2022-06-01")!, to: Timestamp.parse("2024-06-01")!, stepDays: 90)
        let original = try ReplayRun(options: options(layers: try tinyLayers()), replay: replay).run()

        // Move the last event of the file (dated in December 2024, after every step's test period
        // but the last ones) to the other route: only steps whose period reaches its date may change.
        let csv = try String(contentsOf: Self.tiny.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        var lines = csv.split(separator: "\n").map(String.init)
        var fields = lines[lines.count - 1].split(separator: ",").map(String.init)
        let movedTime = Timestamp.parse(fields[1])!
        fields[2] = "110.42000"; fields[3] = "0.62000"  // next to R3, far from its old place
        lines[lines.count - 1] = fields.joined(separator: ",")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replay-leak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let moved = dir.appendingPathComponent("interceptions.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: moved, atomically: true, encoding: .utf8)
        let changed = try ReplayRun(options: options(layers: try tinyLayers(interceptions: moved)), replay: replay).run()

        XCTAssertEqual(original.steps.count, changed.steps.count)
        var compared = 0
        for (a, b) in zip(original.steps, changed.steps) where a.metrics.end < movedTime {
            XCTAssertEqual(a.metrics, b.metrics, "step \(a.metrics.step) saw a future event")
            XCTAssertEqual(a.cells, b.cells)
            XCTAssertEqual(a.topRoutes, b.topRoutes)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 5)
    }

    func testMetricsOfAStepAgreeWithAnIndependentCount() throws {
        let replay = ReplayOptions(from: Timestamp.parse("2023-01-01")!, to: Timestamp.parse("2023-01-01")!, stepDays: 365, coverage: .share(0.01))
        let result = try ReplayRun(options: options(layers: try tinyLayers()), replay: replay).run()
        let step = try XCTUnwrap(result.steps.first)
        // Test period (2023-01-01, 2024-01-01]: count the CSV rows directly.
        let csv = try String(contentsOf: Self.tiny.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        let dates = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        let expected = dates.filter { $0 > "2023-01-01" && $0 <= "2024-01-01" }.count
        XCTAssertEqual(step.metrics.testEvents, expected)
        XCTAssertEqual(step.events.count, expected)
        let hits = step.events.filter(\.hit).count
        XCTAssertEqual(step.metrics.hitRate ?? -1, Double(hits) / Double(expected), accuracy: 1e-12)
        XCTAssertEqual(step.metrics.pai ?? -1, (step.metrics.hitRate ?? 0) / step.metrics.areaFraction, accuracy: 1e-9)
        // The top routes rank R1 first: it carries most events (see the fixture generator).
        XCTAssertEqual(step.topRoutes.first, "R1")
    }
}
