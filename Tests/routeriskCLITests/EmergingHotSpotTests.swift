import Foundation
import XCTest

/// Issue 3 at the command line: the `emerging` property of cells and routes, the automatic
/// band, permutation p-values, and the categories of the sample scene against the generator's
/// truth (data/truth.json).
final class EmergingHotSpotTests: XCTestCase {
    func properties(_ url: URL) throws -> [[String: Any]] {
        (try jsonObject(url)["features"] as? [[String: Any]] ?? []).compactMap { $0["properties"] as? [String: Any] }
    }

    static let categories: Set<String> = [
        "new_hot_spot", "consecutive_hot_spot", "intensifying_hot_spot", "persistent_hot_spot", "diminishing_hot_spot",
        "sporadic_hot_spot", "oscillating_hot_spot", "historical_hot_spot", "new_cold_spot", "consecutive_cold_spot",
        "intensifying_cold_spot", "persistent_cold_spot", "diminishing_cold_spot", "sporadic_cold_spot",
        "oscillating_cold_spot", "historical_cold_spot", "no_pattern",
    ]

    func testEmergingIsWrittenWhenTheWindowSpansSixMonthsAndCanBeTurnedOff() throws {
        let dir = try TemporaryDirectory()
        // The tiny scene spans 48 months (2021-01 … 2024-12): emerging runs by default.
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("on").path])
        XCTAssertTrue(r.stdout.contains("emerging hot spots (48 months)"), r.stdout)
        let cells = try properties(dir.path("on/hotspots.geojson"))
        XCTAssertFalse(cells.isEmpty)
        for c in cells { XCTAssertTrue(Self.categories.contains(c["emerging"] as? String ?? ""), "\(c)") }
        for route in try properties(dir.path("on/routes.geojson")) {
            XCTAssertTrue(Self.categories.contains(route["emerging"] as? String ?? ""), "\(route)")
        }
        let text = try String(contentsOf: dir.path("on/hotspots.geojson"), encoding: .utf8)
        XCTAssertTrue(text.contains("\"gi_bin\": 0, \"emerging\"") || text.contains("\"gi_bin\": 3, \"emerging\""), "emerging follows gi_bin")

        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("off").path, "--no-emerging"])
        XCTAssertNil(try properties(dir.path("off/hotspots.geojson")).first?["emerging"])
        // A window of 5 months (< 6 bins): no emerging, and the summary says why.
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("short").path, "--window", "120d"])
        XCTAssertNil(try properties(dir.path("short/routes.geojson")).first?["emerging"])
        let notes = try jsonObject(dir.path("short/summary.json"))["notes"] as? [String] ?? []
        XCTAssertTrue(notes.contains { $0.contains("at least 6 monthly bins") }, "\(notes)")
    }

    func testPermutationPValuesAreSeededAndWithinTheirGrid() throws {
        let dir = try TemporaryDirectory()
        let args = ["score", "--scene", Paths.tinyScene.path, "--permutations", "99", "--no-emerging"]
        try CLI.assertExit(0, args + ["--seed", "5", "--out", dir.path("a").path])
        try CLI.assertExit(0, args + ["--seed", "5", "--out", dir.path("b").path])
        try CLI.assertExit(0, args + ["--seed", "6", "--out", dir.path("c").path])
        let a = try Data(contentsOf: dir.path("a/hotspots.geojson")), b = try Data(contentsOf: dir.path("b/hotspots.geojson"))
        XCTAssertEqual(a, b, "same seed, same p-values")
        let pa = try properties(dir.path("a/hotspots.geojson")).map { $0["gi_p_sim"] as? Double ?? -1 }
        let pc = try properties(dir.path("c/hotspots.geojson")).map { $0["gi_p_sim"] as? Double ?? -1 }
        XCTAssertNotEqual(pa, pc, "another seed draws other permutations")
        // With 99 permutations p = (1 + r)/100 for a whole r in 0…99.
        for p in pa {
            XCTAssertGreaterThanOrEqual(p, 0.01)
            XCTAssertLessThanOrEqual(p, 1)
            XCTAssertEqual((p * 100).rounded(), p * 100, accuracy: 1e-9)
        }
        let summary = try jsonObject(dir.path("a/summary.json"))
        XCTAssertEqual((summary["options"] as? [String: Any])?["permutations"] as? Int, 99)
    }

    func testAutomaticBandIsRecordedWithItsReason() throws {
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--band", "auto", "--out", dir.path("o").path])
        let options = try XCTUnwrap(try jsonObject(dir.path("o/summary.json"))["options"] as? [String: Any])
        let rule = try XCTUnwrap(options["band_rule"] as? String)
        XCTAssertTrue(rule.hasPrefix("auto: "), rule)
        XCTAssertNotNil(options["band_reason"] as? String)
        XCTAssertGreaterThan(options["band_km"] as? Double ?? 0, 0)
    }

    /// The generator made K04 and R01 busy throughout and rising, and opened R05 in 2025-09:
    /// month by month they must read as intensifying and as new/consecutive hot routes.
    func testSampleSceneCategoriesMatchTheGeneratorsTruth() throws {
        let truth = Paths.sampleScene.appendingPathComponent("truth.json")
        guard FileManager.default.fileExists(atPath: truth.path) else { throw XCTSkip("no data/truth.json") }
        let profiles = Dictionary(uniqueKeysWithValues: (try jsonObject(truth)["route_truth"] as? [[String: Any]] ?? []).compactMap {
            r -> (String, String)? in
            guard let id = r["id"] as? String, let p = r["profile"] as? String else { return nil }
            return (id, p)
        })
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--out", dir.path("o").path, "--quiet"], timeout: 600)
        let routes = Dictionary(uniqueKeysWithValues: try properties(dir.path("o/routes.geojson")).map {
            ($0["id"] as? String ?? "", $0["emerging"] as? String ?? "")
        })
        let intensifying = profiles.filter { $0.value == "intensifying" }.keys.sorted()
        XCTAssertFalse(intensifying.isEmpty)
        for id in intensifying { XCTAssertEqual(routes[id], "intensifying_hot_spot", id) }
        XCTAssertTrue(["new_hot_spot", "consecutive_hot_spot"].contains(routes["R05"] ?? ""), routes["R05"] ?? "none")
        // No route generated flat or near zero is called an intensifying or new hot route.
        for (id, p) in profiles where p == "flat" || p == "near_zero" {
            XCTAssertFalse(["intensifying_hot_spot", "new_hot_spot"].contains(routes[id] ?? ""), "\(id): \(routes[id] ?? "")")
        }
    }
}
