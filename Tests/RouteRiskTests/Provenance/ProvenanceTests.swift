import XCTest
@testable import RouteRisk

final class ProvenanceTests: XCTestCase {
    /// FIPS 180-2 appendix B test vectors.
    func testSHA256OfPublishedVectors() throws {
        XCTAssertEqual(try FileDigest.sha256(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try FileDigest.sha256(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            try FileDigest.sha256(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// A file of 3 MiB + 7 bytes (several read chunks) against coreutils' `sha256sum`.
    func testSHA256OfAFileMatchesSha256sum() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = [UInt8](repeating: 0, count: 3 * 1_048_576 + 7)
        var x: UInt32 = 12345
        for i in bytes.indices { x = x &* 1_103_515_245 &+ 12345; bytes[i] = UInt8(truncatingIfNeeded: x >> 16) }
        try Data(bytes).write(to: url)
        let digest = try FileDigest.sha256(path: url.path)
        XCTAssertEqual(digest.bytes, bytes.count)
        XCTAssertEqual(digest.hex, try sha256sum(url.path))
        // The million-'a' vector of FIPS 180-2 as a file.
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: url)
        XCTAssertEqual(try FileDigest.sha256(path: url.path).hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try FileDigest.sha256(path: "/nonexistent/routerisk/file"))
    }

    func testPasswordsAreMasked() {
        let cases: [(String, String)] = [
            ("PG:dbname=ops host=db.local password=s3cret user=ana", "PG:dbname=ops host=db.local password=*** user=ana"),
            ("PG:dbname=ops PASSWORD='two words' port=5432", "PG:dbname=ops PASSWORD=*** port=5432"),
            ("postgresql://ana:s3cret@db.local:5432/ops", "postgresql://ana:***@db.local:5432/ops"),
            ("--password=s3cret", "--password=***"),
            ("PG:dbname=ops password=s3cret|layername=public.routes", "PG:dbname=ops password=***|layername=public.routes"),
            ("routes.geojson", "routes.geojson"),
        ]
        for (text, expected) in cases { XCTAssertEqual(CommandLineText.maskingPasswords(text), expected) }
        XCTAssertEqual(
            CommandLineText.render(["routerisk", "score", "--password", "s3cret", "--out", "my out", "--routes", "PG:dbname=x password=y"]),
            "routerisk score --password '***' --out 'my out' --routes 'PG:dbname=x password=***'")
        XCTAssertEqual(CommandLineText.render(["a'b"]), #"'a'\''b'"#)
    }

    func testDatabaseHookRecordsMaskedSourceAndRows() {
        let input = Provenance.Input.database(role: "routes", source: "PG:dbname=ops password=s3cret|layername=routes", rows: 51)
        XCTAssertEqual(input.source, "PG:dbname=ops password=***|layername=routes")
        XCTAssertEqual(input.rows, 51)
        XCTAssertNil(input.sha256)
    }

    func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
