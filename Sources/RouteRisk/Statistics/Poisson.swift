import Foundation

/// `P(X ≥ k)` for X ~ Poisson(mean): the regularized lower incomplete gamma `P(k, mean)` (MODEL §8, §9).
///
/// 1 when k ≤ 0; 0 when mean ≤ 0 and k > 0. The smaller tail is always computed directly
/// (Numerical Recipes §6.2 series / Lentz continued fraction, with Loader's 2000 saddle-point prefactor).
public func poissonUpperTail(atLeast k: Int, mean: Double) -> Double {
    guard k > 0 else { return 1 }
    guard mean > 0 else { return 0 }
    if mean.isInfinite { return 1 }
    return regularizedGammaP(Double(k), mean)
}

/// `P(X ≤ k)` for X ~ Poisson(mean): the regularized upper incomplete gamma `Q(k + 1, mean)` (MODEL §8).
///
/// 0 when k < 0; 1 when mean ≤ 0 and k ≥ 0.
public func poissonLowerTail(atMost k: Int, mean: Double) -> Double {
    guard k >= 0 else { return 0 }
    guard mean > 0 else { return 1 }
    if mean.isInfinite { return 0 }
    return regularizedGammaQ(Double(k) + 1, mean)
}

/// Regularized lower incomplete gamma P(a, x) for a ≥ 1, x > 0: the series below a + 1, else 1 − Q by the fraction.
func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x)
}

/// Regularized upper incomplete gamma Q(a, x) for a ≥ 1, x > 0: the fraction from a + 1 on, else 1 − P by the series.
func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
    x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x)
}

/// P(a, x) = `x^a e^(−x)/Γ(a+1) · Σ_{n≥0} x^n / ((a+1)…(a+n))` (Numerical Recipes 3rd ed., §6.2, gser).
private func gammaSeries(_ a: Double, _ x: Double) -> Double {
    var denominator = a
    var term = 1.0
    var sum = 1.0
    for _ in 0..<iterationLimit(a, x) {
        denominator += 1
        term *= x / denominator
        sum += term
        if term < sum * Double.ulpOfOne / 4 { break }
    }
    return poissonDensity(a, x) * sum
}

/// Q(a, x) = `x^a e^(−x)/Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− …))` by modified Lentz (Numerical Recipes §6.2, gcf).
private func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
    let tiny = Double.leastNormalMagnitude / Double.ulpOfOne
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    var i = 1.0
    for _ in 0..<iterationLimit(a, x) {
        let an = -i * (i - a)
        b += 2
        d = an * d + b
        if abs(d) < tiny { d = tiny }
        c = b + an / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        h *= delta
        if abs(delta - 1) <= 2 * Double.ulpOfOne { break }
        i += 1
    }
    // x^a e^(−x)/Γ(a) = a · x^a e^(−x)/Γ(a+1).
    return a * poissonDensity(a, x) * h
}

/// Both expansions need O(√(a + x)) steps near x ≈ a; this bound is only a guard.
private func iterationLimit(_ a: Double, _ x: Double) -> Int {
    100_000 + Int(Swift.min(1e8, 100 * (a + x).squareRoot()))
}

/// The Poisson density `λ^x e^(−λ)/Γ(x+1)` for real x ≥ 0, with no cancellation in the exponent
/// (Loader 2000, "Fast and accurate computation of binomial probabilities": `exp(−stirlerr(x) − bd0(x, λ))/√(2πx)`).
func poissonDensity(_ x: Double, _ lambda: Double) -> Double {
    guard lambda > 0 else { return x == 0 ? 1 : 0 }
    guard x > 0 else { return exp(-lambda) }
    return exp(-stirlingError(x) - poissonDeviance(x, lambda)) / (2 * Double.pi * x).squareRoot()
}

/// `ln Γ(n+1) − (n + ½) ln n + n − ln √(2π)` (Loader 2000, stirlerr): lgamma below 16, the Stirling series above.
func stirlingError(_ n: Double) -> Double {
    if n <= 15 {
        return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.5 * log(2 * Double.pi)
    }
    let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
    let nn = n * n
    if n > 500 { return (s0 - s1 / nn) / n }
    if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
    if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
}

/// `x ln(x/m) + m − x` (Loader 2000, bd0), by a series in v = (x − m)/(x + m) when x is near m.
func poissonDeviance(_ x: Double, _ m: Double) -> Double {
    if abs(x - m) < 0.1 * (x + m) {
        var v = (x - m) / (x + m)
        var s = (x - m) * v
        var ej = 2 * x * v
        v *= v
        var j = 1.0
        while j < 1000 {
            ej *= v
            let next = s + ej / (2 * j + 1)
            if next == s { return next }
            s = next
            j += 1
        }
        return s
    }
    return x * log(x / m) + m - x
}
