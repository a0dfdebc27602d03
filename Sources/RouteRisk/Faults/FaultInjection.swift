import Foundation

/// Test-only pauses, so that the fault tests can send a signal while a given stage runs:
/// `ROUTERISK_TEST_PAUSE=point[,point…]` (a stage name such as `kernel density`, or `commit`,
/// just before the outputs are renamed into place) pauses there for
/// `ROUTERISK_TEST_PAUSE_SECONDS` (default 5), after printing `routerisk: test pause at POINT`
/// on stderr. Unset, it costs one dictionary lookup per stage.
public enum FaultInjection {
    private static let points: Set<String> = {
        guard let value = ProcessInfo.processInfo.environment["ROUTERISK_TEST_PAUSE"] else { return [] }
        return Set(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }()

    private static let seconds: Double = {
        ProcessInfo.processInfo.environment["ROUTERISK_TEST_PAUSE_SECONDS"].flatMap(Double.init) ?? 5
    }()

    public static func pause(at point: String) {
        guard !points.isEmpty, points.contains(point) else { return }
        FileHandle.standardError.write(Data("routerisk: test pause at \(point)\n".utf8))
        Thread.sleep(forTimeInterval: seconds)
    }
}
