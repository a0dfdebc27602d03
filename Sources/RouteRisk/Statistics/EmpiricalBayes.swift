import Foundation

/// Global empirical-Bayes smoothed relative risk (Marshall 1991, as PySAL `Empirical_Bayes`; MODEL §9):
/// `m = Σn/ΣE`, `θ_r = n_r/E_r`, `s² = max(0, ΣE_r(θ_r − m)²/ΣE − m/Ē)`, `C_r = s²/(s² + m/E_r)`,
/// `risk_r = m + C_r(θ_r − m)`.
///
/// Returns nil when m is undefined or zero (Σn = 0 or ΣE ≤ 0), or the arrays differ in length or are empty.
/// A route with E_r = 0 gets risk m (C_r = 0: no evidence), and adds nothing to s².
public func empiricalBayesRisk(observed n: [Double], expected E: [Double]) -> [Double]? {
    let count = n.count
    guard count > 0, E.count == count else { return nil }
    var sumN = 0.0
    var sumE = 0.0
    for r in 0..<count {
        sumN += n[r]
        sumE += E[r]
    }
    guard sumN != 0, sumE > 0, sumN.isFinite, sumE.isFinite else { return nil }
    let m = sumN / sumE
    let meanE = sumE / Double(count)

    var spread = 0.0
    for r in 0..<count where E[r] > 0 {
        let theta = n[r] / E[r]
        spread += E[r] * (theta - m) * (theta - m)
    }
    let s2 = Swift.max(0, spread / sumE - m / meanE)

    return (0..<count).map { r in
        guard E[r] > 0 else { return m }
        let theta = n[r] / E[r]
        let shrink = s2 / (s2 + m / E[r])
        return m + shrink * (theta - m)
    }
}
