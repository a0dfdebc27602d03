import Foundation

/// Benjamini–Hochberg step-up (Benjamini & Hochberg 1995): with p sorted ascending (ties by index),
/// k* = the largest k with `p_(k) ≤ k·α/n`; ranks 1…k* are rejected (MODEL §6).
public func benjaminiHochbergRejected(_ p: [Double], alpha: Double) -> [Bool] {
    let n = p.count
    var rejected = [Bool](repeating: false, count: n)
    guard n > 0 else { return rejected }
    // A NaN p-value sorts last and never passes.
    let order = p.indices.sorted { a, b in
        let pa = p[a].isNaN ? Double.infinity : p[a]
        let pb = p[b].isNaN ? Double.infinity : p[b]
        return pa != pb ? pa < pb : a < b
    }
    var cutoff = 0
    for rank in stride(from: n, through: 1, by: -1) where p[order[rank - 1]] <= Double(rank) * alpha / Double(n) {
        cutoff = rank
        break
    }
    for rank in 0..<cutoff {
        rejected[order[rank]] = true
    }
    return rejected
}

/// ArcGIS `Gi_Bin`: ±3 / ±2 / ±1 for an item rejected by Benjamini–Hochberg at 0.01 / 0.05 / 0.10,
/// with the sign of z, else 0; z = 0 gives 0 (MODEL §6).
public func giBins(z: [Double], p: [Double]) -> [Int] {
    precondition(z.count == p.count, "one p per z")
    let at01 = benjaminiHochbergRejected(p, alpha: 0.01)
    let at05 = benjaminiHochbergRejected(p, alpha: 0.05)
    let at10 = benjaminiHochbergRejected(p, alpha: 0.10)
    return z.indices.map { j in
        let level = at01[j] ? 3 : at05[j] ? 2 : at10[j] ? 1 : 0
        if z[j] > 0 { return level }
        if z[j] < 0 { return -level }
        return 0
    }
}
