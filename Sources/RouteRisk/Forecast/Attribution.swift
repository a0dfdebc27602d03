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
        precondition(share.count == near.route.count, "one distance per pair")
        var pairs = RouteDistances(start: near.start, route: near.route, distance: share)
        share = []
        kernelsInPlace(&pairs.distance, sigma: sigma)
        var window = Window(lengths: lengths, sigma: sigma, windowDays: windowDays)
        window.attribute(times: times, kernels: &pairs)
        share = pairs.distance
    }

    /// The distance part of a share, `exp(−d²/(2σ²))`, with `twoSigma2` = 2σ².
    @inline(__always)
    static func kernel(_ d: Double, twoSigma2: Double) -> Double { exp(-d * d / twoSigma2) }

    /// `kernel` written over each distance, in parallel over fixed chunks (it does not depend on c_r, so it
    /// need not wait for the ordered pass; each value is the same whatever the threads).
    static func kernelsInPlace(_ values: inout [Double], sigma: Double) {
        let twoSigma2 = 2 * sigma * sigma
        values.withUnsafeMutableBufferPointer { values in
            let base = values.baseAddress
            parallelForEachChunk(count: values.count, chunkSize: 1 << 16) { _, range in
                for j in range { base![j] = kernel(base![j], twoSigma2: twoSigma2) }
            }
        }
    }

    /// The running state of the attribution over blocks of corridor events taken in (time, id)
    /// order: c_r over the window, and the blocks whose events may still leave it. Blocks given one
    /// after the other get the shares of one pass over all of them (`score` streams its pairs
    /// through it block by block, so that they are never all held).
    struct Window {
        private var c: [Double]
        private let lengths: [Double]
        private let twoSigma2: Double
        private let window: Double
        /// Earlier blocks (times, pairs with their shares) with events still inside the window;
        /// `heldNext` is the oldest of them in `held[0]`.
        private var held: [(times: [Double], near: RouteDistances)] = []
        private var heldNext = 0

        init(lengths: [Double], sigma: Double, windowDays: Double) {
            c = [Double](repeating: 0, count: lengths.count)
            self.lengths = lengths
            twoSigma2 = 2 * sigma * sigma
            window = windowDays * 86400
        }

        /// The shares of the next block's pairs, written over their distances (an event's distances are
        /// read before its shares are written).
        mutating func attribute(times: [Double], near share: inout RouteDistances) {
            for j in share.distance.indices { share.distance[j] = kernel(share.distance[j], twoSigma2: twoSigma2) }
            attribute(times: times, kernels: &share)
        }

        /// The same from the pairs' kernels (`Attribution.kernel` of their distances) instead of distances.
        /// Through the arrays' buffers (no bounds or uniqueness check per pair: this pass is the one that
        /// cannot be parallel); each expression and sum in the order of MODEL §13.2, so the same bits.
        mutating func attribute(times: [Double], kernels share: inout RouteDistances) {
            precondition(share.events == times.count, "one list of routes per corridor event")
            var oldest = 0  // first event of this block whose shares are still inside the window
            let window = self.window
            c.withUnsafeMutableBufferPointer { c in
            lengths.withUnsafeBufferPointer { lengths in
            share.start.withUnsafeBufferPointer { start in
            share.route.withUnsafeBufferPointer { route in
            share.distance.withUnsafeMutableBufferPointer { value in
                for k in times.indices {
                    // Drop the events at or before t_k − window from the running sums, earlier blocks first.
                    let limit = times[k] - window
                    while !held.isEmpty && held[0].times[heldNext] <= limit {
                        Self.subtract(held[0].near, event: heldNext, from: c)
                        heldNext += 1
                        if heldNext == held[0].times.count {
                            held.removeFirst()
                            heldNext = 0
                        }
                    }
                    if held.isEmpty {
                        while oldest < k && times[oldest] <= limit {
                            for j in start[oldest]..<start[oldest + 1] { c[Int(route[j])] -= value[j] }
                            oldest += 1
                        }
                    }
                    let pairs = start[k]..<start[k + 1]
                    if pairs.count == 1 {
                        value[pairs.lowerBound] = 1
                        c[Int(route[pairs.lowerBound])] += 1
                        continue
                    }
                    // The weights over the kernels, then the shares over the weights (and into c_r).
                    var total = 0.0
                    for j in pairs {
                        let r = Int(route[j])
                        let w = (max(0, c[r]) + 0.1) / lengths[r] * value[j]
                        value[j] = w
                        total += w
                    }
                    for j in pairs {
                        // All weights underflow only for d ≫ σ: then equal shares.
                        let s = total > 0 ? value[j] / total : 1 / Double(pairs.count)
                        value[j] = s
                        c[Int(route[j])] += s
                    }
                }
            }}}}}
            if oldest < times.count {
                if held.isEmpty { heldNext = oldest }
                held.append((times, share))
            }
        }

        /// c_r −= the shares event `event` of `near` gave.
        @inline(__always)
        private static func subtract(_ near: RouteDistances, event: Int, from c: UnsafeMutableBufferPointer<Double>) {
            near.route.withUnsafeBufferPointer { route in
            near.distance.withUnsafeBufferPointer { share in
                for j in near.range(event) { c[Int(route[j])] -= share[j] }
            }}
        }
    }
}
