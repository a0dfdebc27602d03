import Foundation

/// The causal attribution of MODEL §13.2. Corridor events (within b_att of at least one route)
/// are taken in (time, id) order; an event near one route gives it share 1; an event near
/// m > 1 routes gives route r the share ∝ `(c_r + 0.1)/L_r · exp(−d_r²/(2σ²))`, where c_r is
/// the sum of the shares given to r by the earlier events (in that order) whose time is
/// > t_i − window. Shares depend on earlier events only: no event after as_of changes them.
enum Attribution {
    /// One share of one event to one route.
    struct Shares: Sendable {
        /// CSR over the corridor events in (time, id) order: event k's shares are
        /// `route[start[k]..<start[k+1]]`, `share[…]`.
        var start: [Int]
        var route: [Int32]
        var share: [Double]
    }

    /// - Parameters:
    ///   - times: time (s) of each corridor event, in (time, id) order.
    ///   - near: per corridor event, the routes within b_att and their distances (by route index).
    ///   - lengths: L_r, metres.
    static func shares(
        times: [Double], near: [[(route: Int32, distance: Double)]], lengths: [Double], sigma: Double, windowDays: Double
    ) -> Shares {
        var c = [Double](repeating: 0, count: lengths.count)
        var out = Shares(start: [0], route: [], share: [])
        out.start.reserveCapacity(times.count + 1)
        let window = windowDays * 86400
        var oldest = 0  // first corridor event whose shares are still inside the window
        let twoSigma2 = 2 * sigma * sigma
        var weights: [Double] = []
        for k in times.indices {
            // Drop the events at or before t_k − window from the running sums.
            while oldest < k && times[oldest] <= times[k] - window {
                for j in out.start[oldest]..<out.start[oldest + 1] { c[Int(out.route[j])] -= out.share[j] }
                oldest += 1
            }
            let routes = near[k]
            if routes.count == 1 {
                out.route.append(routes[0].route)
                out.share.append(1)
            } else {
                weights.removeAll(keepingCapacity: true)
                var total = 0.0
                for (r, d) in routes {
                    let w = (max(0, c[Int(r)]) + 0.1) / lengths[Int(r)] * exp(-d * d / twoSigma2)
                    weights.append(w)
                    total += w
                }
                for (i, (r, _)) in routes.enumerated() {
                    out.route.append(r)
                    // All weights underflow only for d ≫ σ: then equal shares.
                    out.share.append(total > 0 ? weights[i] / total : 1 / Double(routes.count))
                }
            }
            for j in out.start[k]..<out.route.count { c[Int(out.route[j])] += out.share[j] }
            out.start.append(out.route.count)
        }
        return out
    }
}
