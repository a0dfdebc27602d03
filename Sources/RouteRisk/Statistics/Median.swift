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
/// those after ≥ it. Quickselect with a median-of-three pivot and branch-free partitions (every element swapped,
/// the boundary advanced by the comparison's 0 or 1: no mispredicted branch per element, which made the
/// branching three-way partition cost ~30 cycles an element on Sen's slopes): first the elements below the
/// pivot, then among the rest those equal to it (many ties in monthly counts); below 16 elements, insertion sort.
/// Through the array's buffer: no uniqueness or bounds check per swap.
private func select(_ values: inout [Double], rank: Int) -> Double {
    values.withUnsafeMutableBufferPointer { a in
        var low = 0
        var high = a.count  // the rank lies in [low, high)
        while high - low > 16 {
            let x = a[low], y = a[low + (high - low) / 2], z = a[high - 1]
            let pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y))
            // [low, less): < pivot.
            var less = low
            for i in low..<high {
                let v = a[i]
                a[i] = a[less]
                a[less] = v
                less += v < pivot ? 1 : 0
            }
            if rank < less {
                high = less
                continue
            }
            // [less, equal): == pivot (the rest are ≥ it).
            var equal = less
            for i in less..<high {
                let v = a[i]
                a[i] = a[equal]
                a[equal] = v
                equal += v == pivot ? 1 : 0
            }
            if rank < equal { return pivot }
            low = equal
        }
        for i in (low + 1)..<Swift.max(low + 1, high) {
            let v = a[i]
            var j = i
            while j > low && a[j - 1] > v {
                a[j] = a[j - 1]
                j -= 1
            }
            a[j] = v
        }
        return a[rank]
    }
}
