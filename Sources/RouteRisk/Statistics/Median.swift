import Foundation

/// Median by selection, O(n) expected (Hoare 1961, FIND; three-way partition, median-of-three pivot); an even count
/// takes the mean of the two middle values. Reorders `values`; needs a non-empty array.
func selectMedian(_ values: inout [Double]) -> Double {
    let n = values.count
    precondition(n > 0, "median of nothing")
    let upper = n / 2
    let upperValue = select(&values, rank: upper)
    guard n % 2 == 0 else { return upperValue }
    // After selection every element below `upper` is ≤ the upper middle; the lower middle is their maximum.
    var lowerValue = values[0]
    for i in 1..<upper where values[i] > lowerValue {
        lowerValue = values[i]
    }
    return (lowerValue + upperValue) / 2
}

/// The element of the given 0-based rank in ascending order; afterwards the elements before `rank` are ≤ it and
/// those after ≥ it. Through the array's buffer: no uniqueness or bounds check per swap.
private func select(_ values: inout [Double], rank: Int) -> Double {
    values.withUnsafeMutableBufferPointer { a in
        var low = 0
        var high = a.count - 1
        while low < high {
            let mid = low + (high - low) / 2
            // Median of three as the pivot value.
            let x = a[low], y = a[mid], z = a[high]
            let pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y))
            // Three-way partition: [low, lt) < pivot, [lt, i) == pivot, (gt, high] > pivot.
            var lt = low
            var i = low
            var gt = high
            while i <= gt {
                let v = a[i]
                if v < pivot {
                    a[i] = a[lt]
                    a[lt] = v
                    lt += 1
                    i += 1
                } else if v > pivot {
                    a[i] = a[gt]
                    a[gt] = v
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if rank < lt {
                high = lt - 1
            } else if rank > gt {
                low = gt + 1
            } else {
                return a[rank]
            }
        }
        return a[rank]
    }
}
