import Foundation
import FuzzSupport
import RouteRisk

/// Bytes → CSV table (RFC 4180) → interception validation (MODEL §1).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let file = "fuzz.csv"
    do {
        let table = try CSVTable.parse(bytes: UnsafeBufferPointer(start: start, count: count), file: file)
        let (events, problems) = try InterceptionCSVReader.read(table: table, file: file, now: 1_800_000_000)
        Invariants.requireLocated(problems, file: file)
        Invariants.require(events.count + problems.count == table.rows.count, "rows lost: \(events.count) + \(problems.count) ≠ \(table.rows.count)")
        for e in events {
            Invariants.require(e.lon.isFinite && abs(e.lon) <= 180 && e.lat.isFinite && abs(e.lat) <= 90, "accepted \(e.lon), \(e.lat)")
            Invariants.require(e.persons >= 0, "accepted persons \(e.persons)")
            Invariants.require(e.time.isFinite && e.time <= 1_800_000_000, "accepted time \(e.time)")
            Invariants.require(e.location.line != nil, "event without a line")
        }
    } catch {
        Invariants.requireNamesFile(error, file: file)
    }
    return 0
}
