import Foundation
import FuzzSupport
import RouteRisk

/// Bytes → `Timestamp.parse` (dates and ISO 8601 date-times, MODEL §1) and `parseDuration`.
/// A parsed time must print back as a date that parses to the same day.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let t = Timestamp.parse(text) {
        Invariants.require(t.isFinite, "non-finite time from '\(text)'")
        let day = Timestamp.isoDate(t)
        guard let again = Timestamp.parse(day) else {
            Invariants.require(false, "'\(day)' (from '\(text)') does not parse")
            return 0
        }
        Invariants.require(again <= t && t - again < 86_400 * 2, "'\(text)' → \(t) → '\(day)' → \(again)")
        _ = Timestamp.isoDateTime(t)
        _ = Timestamp.monthIndex(t)
    }
    if let d = Timestamp.parseDuration(days: text) { Invariants.require(d.isFinite, "non-finite duration from '\(text)'") }
    return 0
}
