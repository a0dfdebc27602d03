import Foundation

/// Two-sided normal p-value `erfc(|z|/√2)`, with no `1 − Φ` cancellation in the tail (MODEL §6).
public func twoSidedNormalP(_ z: Double) -> Double {
    erfc(abs(z) / 2.0.squareRoot())
}
