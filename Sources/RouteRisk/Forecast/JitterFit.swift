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
                var best = (ll: -Double.infinity, pi: 0.0)
                for p in 0...100 {
                    let pi = Double(p) / 100
                    var ll = 0.0
                    for b in centres.indices { ll += weights[b] * log(pi * density[b] + (1 - pi) * uniform) }
                    // Strictly greater: ties keep the smaller π.
                    if p == 0 || ll > best.ll { best = (ll, pi) }
                }
                return best
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
}
