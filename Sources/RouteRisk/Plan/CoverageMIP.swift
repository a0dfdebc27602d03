import Foundation

/// The exact MIP of MODEL §14 over the demand points with d_j > 0 and the sites that cover one:
/// `max Σ d_j y_j + Σ ε_i x_i` s.t. `y_j ≤ Σ_{i covers j} x_i`, `Σ x_i = K`, x binary, 0 ≤ y ≤ 1,
/// solved by GLPK and warm-started with the greedy plan. Sites that cover the same cells as an
/// earlier site are left out (on the sample scene half of those that cover demand).
///
/// Ties between optimal plans: `ε_i = η·w_i/K` with `w_i = 1` for the greedy plan's sites and
/// `w_i = ½·(1 − p_i/M)` for the others (p_i the site's position in site order among the M
/// sites of the MIP), η = 1e-6·Σ d_j. Since 0 < Σ ε_i x_i ≤ η for any plan, the plan found
/// loses at most η against the optimum of Σ d_j y_j, while among plans of equal demand it
/// prefers the one sharing most sites with the greedy plan, then the earlier sites. The bound
/// reported is a bound on the perturbed problem, hence on the true one too (ε ≥ 0).
struct CoverageMIP {
    let problem: CoverageProblem
    let greedyOrder: [Int]
    static let tieFactor = 1e-6
    /// Demand is scaled so that Σ d_j = 10⁴ inside GLPK, whose tolerances are relative to 1 + |z|.
    static let scaledTotal = 1e4

    struct Result {
        let sites: [Int]
        let bound: Double
        let optimal: Bool
        let tieTolerance: Double
    }

    func solve(timeLimit: Double) throws -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        let K = problem.teams
        let positive = problem.demand.indices.filter { problem.demand[$0] > 0 }
        let total = positive.reduce(0.0) { $0 + problem.demand[$1] }
        // The sites that cover demand, one per distinct set of covered cells: a later site with the
        // same set as an earlier one is never better and never preferred by the tie-break (the
        // greedy takes the earliest of equal sets, and ε favours earlier sites), so it is left out.
        var firstWithSet: [[Int]: Int] = [:]
        var useful: [Int] = []
        for i in problem.coverage.indices {
            let covered = problem.coverage[i].filter { problem.demand[$0] > 0 }
            guard !covered.isEmpty, firstWithSet[covered] == nil else { continue }
            firstWithSet[covered] = i
            useful.append(i)
        }
        // Nothing to gain, or every useful site fits: the plan covers all it can, proven.
        if total == 0 || useful.count <= K {
            var chosen = useful
            for i in greedyOrder where chosen.count < K && !chosen.contains(i) { chosen.append(i) }
            for i in problem.coverage.indices where chosen.count < K && !chosen.contains(i) { chosen.append(i) }
            return Result(sites: chosen, bound: total, optimal: true, tieTolerance: 0)
        }
        let scale = Self.scaledTotal / total
        let eta = Self.tieFactor * Self.scaledTotal
        let greedySet = Set(greedyOrder)
        var program = MixedIntegerProgram()
        // Columns 0..<M: x_i of the useful sites; then y_j of the positive demand points.
        let M = useful.count
        for (p, i) in useful.enumerated() {
            let w = greedySet.contains(i) ? 1.0 : 0.5 * (1 - Double(p) / Double(M))
            program.columns.append(.init(lower: 0, upper: 1, isBinary: true, objective: eta * w / Double(K)))
        }
        var yColumn = [Int](repeating: -1, count: problem.demand.count)
        for j in positive {
            yColumn[j] = program.columns.count
            program.columns.append(.init(lower: 0, upper: 1, isBinary: false, objective: problem.demand[j] * scale))
        }
        // Sites covering each positive demand point (inverse of the coverage lists).
        var coverers = [[Int]](repeating: [], count: problem.demand.count)
        for (p, i) in useful.enumerated() {
            for j in problem.coverage[i] where problem.demand[j] > 0 { coverers[j].append(p) }
        }
        for j in positive {
            // y_j − Σ x_i ≤ 0
            program.rows.append(.init(
                lower: -.infinity, upper: 0,
                terms: [(yColumn[j], 1)] + coverers[j].map { ($0, -1.0) }))
        }
        program.rows.append(.init(lower: Double(K), upper: Double(K), terms: (0..<M).map { ($0, 1.0) }))

        // Warm start: the greedy plan's useful sites, padded in site order to K.
        var start = [Double](repeating: 0, count: program.columns.count)
        var picked = 0
        let position = Dictionary(uniqueKeysWithValues: useful.enumerated().map { ($1, $0) })
        for i in greedyOrder { if let p = position[i], picked < K { start[p] = 1; picked += 1 } }
        for p in 0..<M where picked < K && start[p] == 0 { start[p] = 1; picked += 1 }
        for j in positive where coverers[j].contains(where: { start[$0] == 1 }) { start[yColumn[j]] = 1 }

        // Building the program took part of the time limit.
        let built = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let solution = try program.maximise(timeLimit: max(0.001, timeLimit - built), warmStart: start)
        let sites = (0..<M).filter { solution.values[$0] > 0.5 }.map { useful[$0] }
        guard sites.count == K else {
            throw SolverError(function: "glp_intopt", code: nil, message: "the solution chose \(sites.count) sites, not \(K)")
        }
        return Result(
            sites: sites, bound: solution.bound / scale, optimal: solution.status == .optimal,
            tieTolerance: eta / scale)
    }
}
