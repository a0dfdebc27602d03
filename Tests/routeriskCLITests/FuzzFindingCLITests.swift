import Foundation
import XCTest

/// The fuzzers' findings, through the built binary: a clean exit status, never an abort.
final class FuzzFindingCLITests: XCTestCase {
    func testSceneTomlWithAnUnnamedHeaderExits65() throws {
        let dir = try TemporaryDirectory()
        let scene = try dir.copyTinyScene()
        let toml = scene.appendingPathComponent("scene.toml")
        try (try String(contentsOf: toml, encoding: .utf8) + "[\nshare = 5\n").write(to: toml, atomically: true, encoding: .utf8)
        let lines = try String(contentsOf: toml, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let r = try CLI.assertExit(65, ["validate", "--scene", scene.path])
        XCTAssertTrue(r.stderr.contains("scene.toml:\(lines.count - 2): a table header needs a name"), r.stderr)
    }
}
