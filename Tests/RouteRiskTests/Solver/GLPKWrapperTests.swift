import XCTest
@testable import RouteRisk

/// The GLPK wrapper: results of small MIPs worked out by hand, status codes and fatal errors as Swift errors.
final class GLPKWrapperTests: XCTestCase {
    /// max 5a + 4b + 3c s.t. 2a + 3b + c ≤ 5, 4a + b + 2c ≤ 11, 3a + 4b + 2c ≤ 8, a, b, c binary.
    /// By enumeration of the 8 points: (1, 0, 1) is feasible (3 ≤ 5, 6 ≤ 11, 5 ≤ 8) with 8;
    /// (1, 1, 0) needs 5 ≤ 5, 5 ≤ 11, 7 ≤ 8: 9; (1, 1, 1) breaks the first row (6 > 5). Optimum 9.
    func testASmallKnapsackIsSolvedExactly() throws {
        var p = MixedIntegerProgram()
        for c in [5.0, 4, 3] { p.columns.append(.init(lower: 0, upper: 1, isBinary: true, objective: c)) }
        for (coefficients, limit) in [([2.0, 3, 1], 5.0), ([4.0, 1, 2], 11), ([3.0, 4, 2], 8)] {
            p.rows.append(.init(lower: -.infinity, upper: limit, terms: coefficients.enumerated().map { ($0.offset, $0.element) }))
        }
        let s = try p.maximise(timeLimit: 10, warmStart: nil)
        XCTAssertEqual(s.status, .optimal)
        XCTAssertEqual(s.objective, 9, accuracy: 1e-9)
        XCTAssertEqual(s.values.map { $0.rounded() }, [1, 1, 0])
        XCTAssertGreaterThanOrEqual(s.bound, 9)
        XCTAssertLessThanOrEqual(s.bound, 9 * (1 + 1e-8) + 1e-8)
    }

    func testAnInfeasibleProgramIsAnError() {
        var p = MixedIntegerProgram()
        p.columns.append(.init(lower: 0, upper: 1, isBinary: true, objective: 1))
        p.rows.append(.init(lower: 2, upper: 2, terms: [(0, 1)]))  // x = 2 with x ≤ 1
        XCTAssertThrowsError(try p.maximise(timeLimit: 10, warmStart: nil)) { error in
            XCTAssertTrue(error is SolverError, "\(error)")
            XCTAssertTrue("\(error)".contains("GLPK"), "\(error)")
        }
    }

    /// A column index out of range is fatal inside GLPK (glp_load_matrix calls glp_error, which
    /// would abort): the guard turns it into a SolverError carrying GLPK's message, and GLPK works
    /// again afterwards on the same thread.
    func testAFatalGLPKErrorBecomesASwiftErrorAndGLPKRecovers() throws {
        var bad = MixedIntegerProgram()
        bad.columns.append(.init(lower: 0, upper: 1, isBinary: true, objective: 1))
        bad.rows.append(.init(lower: -.infinity, upper: 1, terms: [(0, 1), (4, 1)]))
        XCTAssertThrowsError(try bad.maximise(timeLimit: 10, warmStart: nil)) { error in
            let e = error as? SolverError
            XCTAssertEqual(e?.function, "glp_load_matrix")
            XCTAssertTrue(e?.message.contains("out of range") ?? false, "\(error)")
        }
        var good = MixedIntegerProgram()
        good.columns.append(.init(lower: 0, upper: 1, isBinary: true, objective: 2))
        good.rows.append(.init(lower: -.infinity, upper: 1, terms: [(0, 1)]))
        XCTAssertEqual(try good.maximise(timeLimit: 10, warmStart: nil).objective, 2, accuracy: 1e-12)
    }

    func testVersionIsReported() {
        XCTAssertTrue(MixedIntegerProgram.solverVersion.hasPrefix("5."), MixedIntegerProgram.solverVersion)
    }
}
