import Foundation

/// A maximisation MIP in column form, built in Swift values and solved by GLPK
/// (`GLPKProblem`); no GLPK type leaves the Solver folder.
public struct MixedIntegerProgram: Sendable {
    public struct Column: Sendable {
        public var lower: Double
        public var upper: Double
        public var isBinary: Bool
        public var objective: Double
        public init(lower: Double, upper: Double, isBinary: Bool, objective: Double) {
            self.lower = lower; self.upper = upper; self.isBinary = isBinary; self.objective = objective
        }
    }

    /// A row `lower ≤ Σ a_j x_j ≤ upper` (either may be infinite), its coefficients by column index.
    public struct Row: Sendable {
        public var lower: Double
        public var upper: Double
        public var terms: [(column: Int, coefficient: Double)]
        public init(lower: Double, upper: Double, terms: [(column: Int, coefficient: Double)]) {
            self.lower = lower; self.upper = upper; self.terms = terms
        }
    }

    public var columns: [Column] = []
    public var rows: [Row] = []

    public init() {}

    /// How a solve ended.
    public enum Status: String, Sendable {
        /// The search finished: `objective` is optimal within GLPK's tolerance, `bound` says how far.
        case optimal
        /// The time limit stopped the search: `values` is the best solution found (the warm start at worst).
        case timeLimit = "time_limit"
    }

    public struct Solution: Sendable {
        public let status: Status
        /// Σ c_j x_j of `values`, as GLPK reports it.
        public let objective: Double
        /// An upper bound on the optimum (maximisation): the best active node's bound at a time
        /// limit, the objective plus GLPK's pruning tolerance when the search finished.
        public let bound: Double
        public let values: [Double]
        public let seconds: Double
    }

    /// Solves with GLPK's branch and cut (`glp_simplex` for the root LP, then `glp_intopt`).
    /// `warmStart` (a feasible point, one value per column) is handed to GLPK as a heuristic
    /// solution (`glp_ios_heur_sol` at the first `GLP_IHEUR` request) and returned if GLPK finds none.
    public func maximise(timeLimit: Double, warmStart: [Double]?, relativeTolerance: Double = 1e-9) throws -> Solution {
        try GLPKProblem.solve(self, timeLimit: timeLimit, warmStart: warmStart, relativeTolerance: relativeTolerance)
    }
}

extension MixedIntegerProgram {
    /// GLPK's version (`glp_version`), e.g. "5.0".
    public static var solverVersion: String { GLPKProblem.version }
}
