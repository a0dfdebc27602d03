import Foundation

/// Global Moran's I (Moran 1950; Cliff & Ord 1981) with its expectation, its variance under the randomisation
/// assumption and the z-score (as PySAL esda `Moran`'s `I`, `EI`, `VI_rand`, `z_rand`; ArcGIS's Spatial
/// Autocorrelation and Incremental Spatial Autocorrelation tools use the same randomisation variance).
///
/// Weights are the binary `weights` (`w_ij = 1` for j in the list of i; esda transform "B"), or, with
/// `rowStandardized`, `w_ij = 1/W_i` (transform "R"; a row without neighbours stays zero). A self-neighbour, if
/// listed, is a weight like any other: pass weights without self for the usual statistic. With `z = x − x̄` over all
/// n values, `S0 = Σ w_ij`, `S1 = ½ Σ (w_ij + w_ji)²`, `S2 = Σ_i (w_i· + w_·i)²`, `b2 = n Σz⁴/(Σz²)²`:
/// - `I = (n/S0)·Σ_ij w_ij z_i z_j / Σ z²`, `E[I] = −1/(n − 1)`,
/// - `Var = [n((n² − 3n + 3)S1 − nS2 + 3S0²) − b2((n² − n)S1 − 2nS2 + 6S0²)] / ((n−1)(n−2)(n−3)S0²) − E[I]²`,
/// - `z = (I − E[I])/√Var`.
///
/// Undefined parts are NaN: I when all values are equal or S0 = 0; Var and z also when n < 4 or Var ≤ 0.
public func globalMoransI(_ values: [Double], weights: SpatialWeights,
                          rowStandardized: Bool = false) -> (i: Double, expected: Double, variance: Double, z: Double) {
    let n = values.count
    precondition(weights.count == n, "one row of weights per value")
    let nd = Double(n)
    let expected = n > 1 ? -1 / (nd - 1) : .nan
    guard n > 1 else { return (.nan, expected, .nan, .nan) }
    var sum = 0.0
    for x in values {
        sum += x
    }
    let mean = sum / nd
    var m2 = 0.0
    var m4 = 0.0
    for x in values {
        let d = x - mean
        let d2 = d * d
        m2 += d2
        m4 += d2 * d2
    }

    // Row weights: 1, or 1/W_i.
    let rowWeight: [Double] = (0..<n).map { i in
        let card = weights.cardinality(of: i)
        return rowStandardized ? (card > 0 ? 1 / Double(card) : 0) : 1
    }
    var s0 = 0.0
    var s1 = 0.0
    var cross = 0.0
    var columnSums = [Double](repeating: 0, count: n)
    for i in 0..<n {
        let wi = rowWeight[i]
        let zi = values[i] - mean
        var lag = 0.0
        for j in weights.neighbours(of: i) {
            s0 += wi
            lag += values[j] - mean
            columnSums[j] += wi
            if j == i {
                s1 += 2 * wi * wi
            } else if sortedContains(weights.neighbours(of: j), i) {
                // Half of (w_ij + w_ji)²; the pair (j, i) adds the other half.
                let both = wi + rowWeight[j]
                s1 += 0.5 * both * both
            } else {
                // w_ji = 0: ½·[(w_ij)² + (w_ij)²] for the two orders at once.
                s1 += wi * wi
            }
        }
        cross += wi * zi * lag
    }
    var s2 = 0.0
    for i in 0..<n {
        let total = Double(weights.cardinality(of: i)) * rowWeight[i] + columnSums[i]
        s2 += total * total
    }
    guard m2 > 0, s0 > 0 else { return (.nan, expected, .nan, .nan) }
    let moran = nd / s0 * cross / m2
    guard n > 3 else { return (moran, expected, .nan, .nan) }
    let variance = moransIRandomizationVariance(n: nd, s0: s0, s1: s1, s2: s2, kurtosis: nd * m4 / (m2 * m2))
    guard variance > 0, variance.isFinite else { return (moran, expected, .nan, .nan) }
    return (moran, expected, variance, (moran - expected) / variance.squareRoot())
}

/// Var(I) under randomisation (Cliff & Ord 1981, eq. 1.38; esda `VI_rand`), with `kurtosis` = b2 = `n Σz⁴/(Σz²)²`.
func moransIRandomizationVariance(n: Double, s0: Double, s1: Double, s2: Double, kurtosis: Double) -> Double {
    let n2 = n * n
    let s02 = s0 * s0
    let a = n * ((n2 - 3 * n + 3) * s1 - n * s2 + 3 * s02)
    let b = kurtosis * ((n2 - n) * s1 - 2 * n * s2 + 6 * s02)
    let expected = -1 / (n - 1)
    return (a - b) / ((n - 1) * (n - 2) * (n - 3) * s02) - expected * expected
}

/// Binary search in an ascending slice.
private func sortedContains(_ slice: ArraySlice<Int>, _ value: Int) -> Bool {
    var low = slice.startIndex
    var high = slice.endIndex
    while low < high {
        let mid = low + (high - low) / 2
        if slice[mid] < value {
            low = mid + 1
        } else {
            high = mid
        }
    }
    return low < slice.endIndex && slice[low] == value
}
