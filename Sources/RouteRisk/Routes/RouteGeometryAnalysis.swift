import Foundation

/// The geometric facts of one route (MODEL §9), measured in the working projection.
struct RouteGeometryFacts: Sendable {
    var length: Double
    var corridorArea: Double
    /// Indices (into the used events) of the events within `b` of the route, ascending.
    var eventIndices: [Int]
    var crossings: [PlanarPoint]
    var landings: [PlanarPoint]
    /// Sample points every s/2 along each part (MODEL §9 `mean_intensity_km2`).
    var intensitySamples: [PlanarPoint]
}

/// Measures every route with GEOS, in parallel: each worker thread has its own GEOS context,
/// its own STRtrees over the events and the border and coastline pieces, and a contiguous
/// share of the routes, so results do not depend on the thread count.
struct RouteGeometryAnalysis {
    let routes: [[[PlanarPoint]]]
    let events: [PlanarPoint]
    let borders: LinePieces
    let coastline: LinePieces
    let corridor: Double
    let sampleStep: Double

    func run() throws -> [RouteGeometryFacts] {
        try parallelRanges(routes.count, minimumPerWorker: 8) { range in
            let worker = try Worker(self)
            return try range.map { try worker.measure(routes[$0]) }
        }
    }

    final class Worker {
        let context: GEOSContext
        let eventTree: STRtree?
        let borderTree: STRtree?
        let coastTree: STRtree?
        let corridor: Double
        let sampleStep: Double

        init(_ analysis: RouteGeometryAnalysis) throws {
            context = try GEOSContext()
            let c = context
            eventTree = analysis.events.isEmpty ? nil
                : try STRtree(analysis.events.map { try Geometry.point($0, context: c) }, context: c)
            borderTree = analysis.borders.pieces.isEmpty ? nil
                : try STRtree(analysis.borders.pieces.map { try Geometry.lineString($0, context: c) }, context: c)
            coastTree = analysis.coastline.pieces.isEmpty ? nil
                : try STRtree(analysis.coastline.pieces.map { try Geometry.lineString($0, context: c) }, context: c)
            corridor = analysis.corridor
            sampleStep = analysis.sampleStep
        }

        func measure(_ parts: [[PlanarPoint]]) throws -> RouteGeometryFacts {
            let route = try Geometry.lines(parts, context: context)
            let length = try route.length
            // A MultiLineString is buffered as a whole: 8 segments per quarter circle, round caps and joins.
            let corridorArea = try route.buffer(by: corridor, quadrantSegments: 8).area
            let env = try route.envelope

            var onRoute: [Int] = []
            if let eventTree {
                let prepared = try route.prepared()
                let candidates = try eventTree.query(
                    minX: env.minX - corridor, minY: env.minY - corridor,
                    maxX: env.maxX + corridor, maxY: env.maxY + corridor)
                for i in candidates where try prepared.isWithinDistance(corridor, of: eventTree.geometries[i]) {
                    onRoute.append(i)
                }
            }
            let crossings = try intersectionPoints(route, env, borderTree)
            let landings = try intersectionPoints(route, env, coastTree)

            var samples: [PlanarPoint] = []
            for part in parts {
                let line = try Geometry.lineString(part, context: context)
                let partLength = try line.length
                var k = 0
                while true {
                    let d = Double(k) * sampleStep
                    // The end point is a sample when the length is a multiple of s/2 within 1e-9.
                    if d > partLength + 1e-9 { break }
                    samples.append(try line.interpolate(min(d, partLength)))
                    k += 1
                }
            }
            return RouteGeometryFacts(
                length: length, corridorArea: corridorArea, eventIndices: onRoute,
                crossings: crossings, landings: landings, intensitySamples: samples)
        }

        /// The points of the GEOS intersection of the route with a layer (touches included),
        /// a shared stretch counted by its two end points, equal points once (MODEL §9).
        private func intersectionPoints(_ route: Geometry, _ env: Geometry.Envelope, _ tree: STRtree?) throws -> [PlanarPoint] {
            guard let tree else { return [] }
            let hits = try tree.query(minX: env.minX, minY: env.minY, maxX: env.maxX, maxY: env.maxY)
            var points: [PlanarPoint] = []
            var stretches: [[PlanarPoint]] = []
            for i in hits {
                let piece = tree.geometries[i]
                let shared = try route.intersection(piece)
                if try shared.isEmpty { continue }
                points += try shared.pointMembers()
                stretches += try shared.linearParts()
            }
            if !stretches.isEmpty {
                // Pieces of one shared stretch meet at piece boundaries: merge them first.
                let merged = try Geometry.lines(stretches, context: context).lineMerge()
                for stretch in try merged.linearParts() {
                    if let first = stretch.first, let last = stretch.last {
                        points.append(first)
                        points.append(last)
                    }
                }
            }
            var seen = Set<PlanarPoint>()
            return points.filter { seen.insert($0).inserted }.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        }
    }
}
