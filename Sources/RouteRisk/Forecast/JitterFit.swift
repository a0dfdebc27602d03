import Foundation

/// The jitter σ of MODEL §13.1 and how it was chosen.
public struct JitterEstimate: Sendable, Equatable {
    /// σ in metres.
    public let sigma: Double
    /// The fitted mixing weight π of the half-normal part (nil unless fitted).
    public let mixing: Double?
    /// Distances ≤ B that the fit saw.
    public let distances: Int
    /// "given", "auto: binned maximum likelihood…" or "auto: fewer than 10 distances…".
    public let rule: String
}

/// Binned maximum-likelihood fit of σ (MODEL §13.1): the event–nearest-route distances d ≤ B
/// in 10 m bins (centres dc), the density `f(d) = π·2φ(d; 0, σ)/erf(B/(σ√2)) + (1 − π)/B`
/// (a half-normal truncated at B plus a uniform), σ = 100 m, 200 m, … ≤ B/2, π = 0, 0.01, …, 1;
/// ties to the smaller σ, then the smaller π.
enum JitterFit {
    static let binWidth = 10.0
    static var binCount: Int { Int((ForecastSettings.jitterCutoff / binWidth).rounded()) }

    /// The bin of a distance d ≤ B: ⌊d/10 m⌋, d = B itself in the last bin.
    @inline(__always)
    static func bin(_ d: Double) -> Int { min(binCount - 1, Int(d / binWidth)) }

    /// Bins the distances ≤ B.
    static func histogram(_ distances: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: binCount)
        for d in distances where d <= ForecastSettings.jitterCutoff { counts[bin(d)] += 1 }
        return counts
    }

    /// σ from a histogram of `histogram`'s bins.
    static func fit(histogram counts: [Int]) -> JitterEstimate {
        let B = ForecastSettings.jitterCutoff
        let total = counts.reduce(0, +)
        guard total >= ForecastSettings.minimumJitterDistances else {
            return JitterEstimate(
                sigma: ForecastSettings.fallbackJitter, mixing: nil, distances: total,
                rule: "auto: fewer than \(ForecastSettings.minimumJitterDistances) event distances ≤ 10 km to a route, 1.5 km")
        }
        let occupied = counts.indices.filter { counts[$0] > 0 }
        let centres = occupied.map { (Double($0) + 0.5) * binWidth }
        let weights = occupied.map { Double(counts[$0]) }
        let uniform = 1 / B
        let sigmaSteps = Int((B / 2 / 100).rounded(.down))
        // Each σ's best π (the first maximum over π = 0, 0.01, …), the σ values in parallel; then the
        // first σ whose best is strictly greater than every earlier one: the same winner as one pass
        // over (σ, π) in that order, whatever the threads.
        let perSigma: [(ll: Double, pi: Double)] = (try? parallelRanges(sigmaSteps, minimumPerWorker: 8) { range in
            var density = [Double](repeating: 0, count: centres.count)
            return range.map { step in
                let sigma = Double(step + 1) * 100
                let norm = 2 / (sigma * (2 * Double.pi).squareRoot()) / erf(B / (sigma * 2.0.squareRoot()))
                for b in centres.indices {
                    let z = centres[b] / sigma
                    density[b] = norm * exp(-0.5 * z * z)
                }
                return bestMixing { p in
                    let pi = Double(p) / 100
                    var ll = 0.0, size = 0.0
                    for b in centres.indices {
                        let term = weights[b] * log(pi * density[b] + (1 - pi) * uniform)
                        ll += term
                        size += abs(term)
                    }
                    return (ll, size)
                }
            }
        }) ?? []
        var best = (ll: -Double.infinity, sigma: 0.0, pi: 0.0)
        for (step, candidate) in perSigma.enumerated() where step == 0 || candidate.ll > best.ll {
            // Strictly greater: ties keep the smaller σ.
            best = (candidate.ll, Double(step + 1) * 100, candidate.pi)
        }
        return JitterEstimate(
            sigma: best.sigma, mixing: best.pi, distances: total,
            rule: "auto: binned maximum likelihood over \(total) event distances ≤ 10 km to the nearest route")
    }

    /// The first maximum over π = p/100, p = 0…100, of one σ's log-likelihood `ll(p)` (with Σ|terms|, its
    /// size), as a scan over all 101 in order would find it (strictly greater wins), from about 30 of them.
    ///
    /// ll is concave in π (a weighted sum of logs of functions affine in π). Every tenth p first; M is their
    /// maximum and tol = 1e-9 · their largest size, far above the rounding of any ll (≲ 1e-13 · size for
    /// 1,000 bins). A concave function below its value at a point to the right is increasing up to there, so
    /// every p left of the first coarse point within tol of M, less 10, has ll < M − tol (likewise on the
    /// right): no such p can reach the window's maximum, ≥ M, in floating point either. The window between
    /// is scanned in order; its values are those the full scan computes.
    static func bestMixing(_ ll: (Int) -> (ll: Double, size: Double)) -> (ll: Double, pi: Double) {
        var values = [Double](repeating: .nan, count: 101)
        var maximum = -Double.infinity, largest = 0.0
        for p in stride(from: 0, through: 100, by: 10) {
            let (value, size) = ll(p)
            values[p] = value
            maximum = max(maximum, value)
            if size.isFinite { largest = max(largest, size) }
        }
        let tolerance = 1e-9 * largest
        let near = stride(from: 0, through: 100, by: 10).filter { values[$0] >= maximum - tolerance }
        let lo = max(0, (near.first ?? 0) - 9), hi = min(100, (near.last ?? 100) + 9)
        var best = (ll: -Double.infinity, pi: 0.0)
        for p in lo...hi {
            if values[p].isNaN { values[p] = ll(p).ll }
            // Strictly greater: ties keep the smaller π.
            if p == lo || values[p] > best.ll { best = (values[p], Double(p) / 100) }
        }
        return best
    }
}
