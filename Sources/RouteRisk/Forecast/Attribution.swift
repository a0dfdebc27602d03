import Foundation

/// The causal attribution of MODEL §13.2. Corridor events (within b_att of at least one route)
/// are taken in (time, id) order; an event near one route gives it share 1; an event near
/// m > 1 routes gives route r the share ∝ `(c_r + 0.1)/L_r · exp(−d_r²/(2σ²))`, where c_r is
/// the sum of the shares given to r by the earlier events (in that order) whose time is
/// > t_i − window. Shares depend on earlier events only: no event after as_of changes them.
enum Attribution {
    /// The share of each (event, route) pair of `near`, aligned with `near.route`.
    ///
    /// - Parameters:
    ///   - times: time (s) of each corridor event, in (time, id) order.
    ///   - near: per corridor event (same order), the routes within b_att and their distances.
    ///   - lengths: L_r, metres.
    static func shares(times: [Double], near: RouteDistances, lengths: [Double], sigma: Double, windowDays: Double) -> [Double] {
        var values = near.distance
        sharesInPlace(times: times, near: near, values: &values, lengths: lengths, sigma: sigma, windowDays: windowDays)
        return values
    }

    /// The same, with the distances taken from `values` and the shares written over them (an event's
    /// distances are read before its shares are written): the pairs are held once, not twice.
    /// `near.distance` is not read.
    static func sharesInPlace(
        times: [Double], near: RouteDistances, values share: inout [Double], lengths: [Double], sigma: Double, windowDays: Double
    ) {
        precondition(near.events == times.count, "one list of routes per corridor event")
        precondition(share.count == near.route.count, "one distance per pair")
        var c = [Double](repeating: 0, count: lengths.count)
        let window = windowDays * 86400
        var oldest = 0  // first corridor event whose shares are still inside the window
        let twoSigma2 = 2 * sigma * sigma
        var weights: [Double] = []
        for k in times.indices {
            // Drop the events at or before t_k − window from the running sums.
            while oldest < k && times[oldest] <= times[k] - window {
                for j in near.range(oldest) { c[Int(near.route[j])] -= share[j] }
                oldest += 1
            }
            let pairs = near.range(k)
            if pairs.count == 1 {
                share[pairs.lowerBound] = 1
            } else {
                weights.removeAll(keepingCapacity: true)
                var total = 0.0
                for j in pairs {
                    let r = Int(near.route[j]), d = share[j]
                    let w = (max(0, c[r]) + 0.1) / lengths[r] * exp(-d * d / twoSigma2)
                    weights.append(w)
                    total += w
                }
                for (i, j) in pairs.enumerated() {
                    // All weights underflow only for d ≫ σ: then equal shares.
                    share[j] = total > 0 ? weights[i] / total : 1 / Double(pairs.count)
                }
            }
            for j in pairs { c[Int(near.route[j])] += share[j] }
        }
    }
}
