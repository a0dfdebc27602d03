import Foundation

/// One number printed by C's `vsnprintf` with a one-conversion format (`%.1f`, `%.7f`, `%.2g`): the digits of
/// `String(format:)` (Foundation hands floating-point conversions to the C library too) without its format parser
/// and `NSString` — for text made once per feature or route.
func cFormat(_ format: String, _ value: Double) -> String {
    func printed(capacity: Int) -> (text: String?, needed: Int) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            let n = Int(withVaList([value]) { vsnprintf(buffer.baseAddress!, capacity, format, $0) })
            return (n >= 0 && n < capacity ? String(cString: buffer.baseAddress!) : nil, n)
        }
    }
    let first = printed(capacity: 64)
    if let text = first.text { return text }
    // A long result (%.0f of 1e300): once more with room for it.
    precondition(first.needed >= 0, "cFormat: \(format) cannot print \(value)")
    return printed(capacity: first.needed + 1).text!
}
