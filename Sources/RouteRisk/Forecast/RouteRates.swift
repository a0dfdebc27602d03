import Foundation

/// The current rate of each route (MODEL §13.4).
struct RouteRates: Sendable {
    /// n_r after shrinkage (decayed, attributed events).
    var shrunk: [Double]
    /// n_r before shrinkage.
    var raw: [Double]
    /// κ = Σw / Σw² (nil without corridor weight).
    var kappa: Double?
    /// ρ_r, events per day (all of r's events, in and out of its corridor).
    var perDay: [Double]

    /// - Parameters:
    ///   - pairs: (route, w_ir = share_ir · 2^(−a_i/H)) over the corridor events with time ≤ as_of, in (time, id) order.
    ///   - areas: A_r, the area of r's buffer by b_att.
    ///   - corridorShares: q_r.
    ///   - exposureDays: D(H).
    static func compute(
        routes: Int, pairs: (route: [Int32], weight: [Double]), areas: [Double], corridorShares: [Double], exposureDays: Double
    ) -> RouteRates {
        var sums = WeightSums(routes: routes)
        for (r, w) in zip(pairs.route, pairs.weight) { sums.add(route: r, weight: w) }
        return compute(sums: sums, areas: areas, corridorShares: corridorShares, exposureDays: exposureDays)
    }

    /// n_r = Σ_i w_ir per route, with Σ w and Σ w² over all pairs (for κ).
    struct WeightSums {
        var n: [Double]
        var sumW = 0.0, sumW2 = 0.0
        init(routes: Int) { n = [Double](repeating: 0, count: routes) }
        @inline(__always)
        mutating func add(route r: Int32, weight w: Double) {
            n[Int(r)] += w
            sumW += w
            sumW2 += w * w
        }
        /// `add(route: routes[j], weight: shares[j] · decay)` for each j in order (the same sums, bit for bit),
        /// through the array's buffer: no uniqueness check per pair.
        @inline(__always)
        mutating func add(routes: ArraySlice<Int32>, shares: ArraySlice<Double>, decay: Double) {
            var w1 = sumW, w2 = sumW2
            n.withUnsafeMutableBufferPointer { n in
                for (r, share) in zip(routes, shares) {
                    let w = share * decay
                    n[Int(r)] += w
                    w1 += w
                    w2 += w * w
                }
            }
            sumW = w1
            sumW2 = w2
        }

        mutating func merge(_ other: WeightSums) {
            for r in n.indices { n[r] += other.n[r] }
            sumW += other.sumW
            sumW2 += other.sumW2
        }
    }

    static func compute(sums: WeightSums, areas: [Double], corridorShares: [Double], exposureDays: Double) -> RouteRates {
        let routes = sums.n.count
        var n = sums.n
        let sumW = sums.sumW, sumW2 = sums.sumW2
        let raw = n
        let totalN = n.reduce(0, +), totalA = areas.reduce(0, +)
        var kappa: Double? = nil
        if sumW2 > 0, totalA > 0 {
            let k = sumW / sumW2
            kappa = k
            // E_r = (Σn/ΣA)·A_r; risk_r = §9's empirical-Bayes rate of (κ n_r, κ E_r); n_r ← risk_r · E_r.
            let expected = areas.map { totalN / totalA * $0 }
            if let risk = empiricalBayesRisk(observed: n.map { k * $0 }, expected: expected.map { k * $0 }) {
                n = zip(risk, expected).map { $0 * $1 }
            }
        }
        let perDay = (0..<routes).map { r in
            corridorShares[r] > 0 && exposureDays > 0 ? n[r] / (corridorShares[r] * exposureDays) : 0
        }
        return RouteRates(shrunk: n, raw: raw, kappa: kappa, perDay: perDay)
    }
}
