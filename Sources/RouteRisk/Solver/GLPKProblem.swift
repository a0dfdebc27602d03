import Foundation
internal import CGLPK

/// Owns one GLPK problem object (`glp_create_prob` / `glp_delete_prob` in deinit). GLPK keeps
/// one environment per thread and a problem must be freed by the thread that made it: a
/// `GLPKProblem` lives inside one call of `solve` and never leaves its thread.
final class GLPKProblem {
    let pointer: OpaquePointer
    /// The thread's GLPK environment generation when the object was made: a fatal error frees
    /// the environment (and with it this object), after which deinit must not free it again.
    private let generation: UInt

    init() throws {
        routerisk_glp_prepare_thread()
        // glp_create_prob never returns NULL (it is fatal on out of memory).
        guard let p = glp_create_prob() else {
            throw SolverError(function: "glp_create_prob", code: nil, message: "no problem object")
        }
        pointer = p
        generation = UInt(routerisk_glp_generation())
    }

    deinit {
        if UInt(routerisk_glp_generation()) == generation { glp_delete_prob(pointer) }
    }

    /// `glp_version()`, e.g. "5.0".
    static var version: String { String(cString: glp_version()) }

    var isAlive: Bool { UInt(routerisk_glp_generation()) == generation }

    /// What GLPK printed since the last call (its terminal output is kept, never shown).
    static func takeMessages() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        routerisk_glp_take_messages(&buffer, Int32(buffer.count))
        return String(cString: buffer)
    }

    /// The state the branch-and-cut callback reads and writes (passed as `cb_info`).
    final class SearchState {
        let heuristic: [Double]?
        var heuristicOffered = false
        /// The best active node's bound, last seen (maximisation: it only falls).
        var bestBound = Double.infinity
        init(heuristic: [Double]?) { self.heuristic = heuristic }
    }

    static func solve(_ program: MixedIntegerProgram, timeLimit: Double, warmStart: [Double]?, relativeTolerance: Double) throws
        -> MixedIntegerProgram.Solution
    {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
        let n = program.columns.count, m = program.rows.count
        precondition(warmStart == nil || warmStart!.count == n, "one warm-start value per column")
        _ = takeMessages()
        let problem = try GLPKProblem()
        let P = problem.pointer
        glp_set_obj_dir(P, GLP_MAX)
        if n > 0 { glp_add_cols(P, Int32(n)) }
        if m > 0 { glp_add_rows(P, Int32(m)) }
        for (j, c) in program.columns.enumerated() {
            let col = Int32(j + 1)
            glp_set_col_bnds(P, col, boundType(c.lower, c.upper), c.lower.isFinite ? c.lower : 0, c.upper.isFinite ? c.upper : 0)
            glp_set_obj_coef(P, col, c.objective)
            if c.isBinary { glp_set_col_kind(P, col, GLP_BV) }
        }
        // The matrix in GLPK's 1-based triplet form (element 0 unused).
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        for (i, row) in program.rows.enumerated() {
            glp_set_row_bnds(P, Int32(i + 1), boundType(row.lower, row.upper),
                             row.lower.isFinite ? row.lower : 0, row.upper.isFinite ? row.upper : 0)
            for t in row.terms {
                ia.append(Int32(i + 1)); ja.append(Int32(t.column + 1)); ar.append(t.coefficient)
            }
        }
        var failed: Int32 = 0
        routerisk_glp_load_matrix(P, Int32(ar.count - 1), ia, ja, ar, &failed)
        if failed != 0 { throw SolverError(function: "glp_load_matrix", code: nil, message: takeMessages()) }

        func milliseconds(_ seconds: Double) -> Int32 { Int32(max(1, min(Double(Int32.max), (seconds * 1000).rounded(.up)))) }
        func fallback(bound: Double) -> MixedIntegerProgram.Solution? {
            guard let warmStart else { return nil }
            let objective = zip(program.columns, warmStart).reduce(0.0) { $0 + $1.0.objective * $1.1 }
            return .init(status: .timeLimit, objective: objective, bound: bound, values: warmStart, seconds: elapsed())
        }

        // The root LP, without GLPK's LP presolver: the presolver does not look at tm_lim, and on
        // a large instance it alone can overrun a short time limit.
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_OFF
        // The time limit counts from the call: building the problem took some of it.
        smcp.tm_lim = milliseconds(max(0.001, timeLimit - elapsed()))
        let lpCode = routerisk_glp_simplex(P, &smcp, &failed)
        if failed != 0 { throw SolverError(function: "glp_simplex", code: nil, message: takeMessages()) }
        if lpCode == GLP_ETMLIM {
            if let f = fallback(bound: .infinity) { return f }
            throw SolverError(function: "glp_simplex", code: lpCode, message: "the time limit ended the root LP before any solution")
        }
        guard lpCode == 0 else { throw SolverError(function: "glp_simplex", code: lpCode, message: takeMessages()) }
        guard glp_get_status(P) == GLP_OPT else {
            throw SolverError(function: "glp_simplex", code: nil, message: "the LP relaxation has no optimum (status \(glp_get_status(P)))")
        }
        let rootBound = glp_get_obj_val(P)

        // Branch and cut, without the MIP presolver so the callback sees the original columns.
        let state = SearchState(heuristic: warmStart)
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = GLP_OFF
        iocp.tol_obj = relativeTolerance
        iocp.tm_lim = milliseconds(max(0.001, timeLimit - elapsed()))
        iocp.cb_info = Unmanaged.passUnretained(state).toOpaque()
        iocp.cb_func = { tree, info in
            guard let tree, let info else { return }
            let state = Unmanaged<SearchState>.fromOpaque(info).takeUnretainedValue()
            // glp_ios_best_node returns 0 when there is no active node.
            let best = glp_ios_best_node(tree)
            if best != 0 { state.bestBound = min(state.bestBound, glp_ios_node_bound(tree, best)) }
            if glp_ios_reason(tree) == GLP_IHEUR, !state.heuristicOffered, let x = state.heuristic {
                state.heuristicOffered = true
                // glp_ios_heur_sol takes x[1..n]; it returns non-zero when it rejects the point.
                _ = ([0] + x).withUnsafeBufferPointer { glp_ios_heur_sol(tree, $0.baseAddress) }
            }
        }
        let code = withExtendedLifetime(state) { routerisk_glp_intopt(P, &iocp, &failed) }
        if failed != 0 { throw SolverError(function: "glp_intopt", code: nil, message: takeMessages()) }
        let mipStatus = glp_mip_status(P)
        switch code {
        case 0 where mipStatus == GLP_OPT:
            let objective = glp_mip_obj_val(P)
            let values = (0..<n).map { glp_mip_col_val(P, Int32($0 + 1)) }
            // A node is pruned when its bound is not above the incumbent by tol_obj·(1 + |z|)
            // (GLPK's ios_is_hopeful): that is the proof's slack.
            let bound = min(rootBound, objective + relativeTolerance * (1 + abs(objective)))
            _ = takeMessages()
            return .init(status: .optimal, objective: objective, bound: max(bound, objective), values: values, seconds: elapsed())
        case GLP_ETMLIM:
            let bound = min(rootBound, state.bestBound)
            if mipStatus == GLP_FEAS || mipStatus == GLP_OPT {
                let objective = glp_mip_obj_val(P)
                let values = (0..<n).map { glp_mip_col_val(P, Int32($0 + 1)) }
                _ = takeMessages()
                return .init(status: .timeLimit, objective: objective, bound: max(bound, objective), values: values, seconds: elapsed())
            }
            if let f = fallback(bound: bound) { return f }
            throw SolverError(function: "glp_intopt", code: code, message: "the time limit ended the search before any integer solution")
        default:
            throw SolverError(function: "glp_intopt", code: code, message: takeMessages())
        }
    }

    private static func boundType(_ lower: Double, _ upper: Double) -> Int32 {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return GLP_FR
        case (true, false): return GLP_LO
        case (false, true): return GLP_UP
        case (true, true): return lower == upper ? GLP_FX : GLP_DB
        }
    }
}
