import Foundation

/// The background of MODEL §13.5: the events off every listed route (not corridor events), with
/// time ≤ as_of, as a quartic KDE (§5 kernel) with weights 2^(−a_i/H_bg) at the cell centres;
/// `λ_bg(c) = a · BG(c) / D(H_bg)` events per day. With fewer than 10 events the bandwidth stays
/// as given (no fallback).
enum Background {
    static func perDay(
        points: [PlanarPoint], weights: [Double], bandwidth: Double, centres: [PlanarPoint], cellArea: Double, exposureDays: Double
    ) -> [Double] {
        guard !points.isEmpty, exposureDays > 0 else { return [Double](repeating: 0, count: centres.count) }
        let kde = KernelDensity(points: points, weights: weights, bandwidth: bandwidth)
        let scale = cellArea / exposureDays
        return kde.intensities(at: centres).map { $0 * scale }
    }
}
