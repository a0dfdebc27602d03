import Foundation

/// The geometric facts of one route (MODEL §9), measured in the working projection.
struct RouteGeometryFacts: Sendable {
    var length: Double
    var corridorArea: Double
    /// Indices (into the analysis's events) of the events within `b` of the route, ascending (slices of the
    /// arrays that hold every route's, block by block of events).
    var eventIndices: CorridorEvents
    var crossings: [PlanarPoint]
    var landings: [PlanarPoint]
    /// Sample points every s/2 along each part (MODEL §9 `mean_intensity_km2`).
    var intensitySamples: [PlanarPoint]
}

/// Measures every route with GEOS, in parallel: each worker thread has its own GEOS context,
/// its own STRtrees over the border and coastline pieces, and a contiguous share of the
/// routes, so results do not depend on the thread count. The events within b of each route
/// come from `CorridorIndex` (a grid of route segments, GEOS's point–segment distance).
struct RouteGeometryAnalysis {
    let routes: [[[PlanarPoint]]]
    let events: [PlanarPoint]
    /// The number reported for each event in `RouteGeometryFacts.eventIndices` (nil: its index in `events`).
    var eventNumbers: [Int]? = nil
    let borders: LinePieces
    let coastline: LinePieces
    let corridor: Double
    let sampleStep: Double

    func run() throws -> [RouteGeometryFacts] {
        var facts = try parallelRanges(routes.count, minimumPerWorker: 8) { range in
            let worker = try Worker(self)
            return try range.map { try worker.measure(routes[$0]) }
        }
        // Events in corridors: one grid over every route's segments, exact distances in Swift.
        let onRoute = CorridorIndex(routes: routes, distance: corridor).eventsWithin(events, numbering: eventNumbers)
        for r in facts.indices {
            facts[r].eventIndices = onRoute[r]
        }
        return facts
    }

    final class Worker {
        let context: GEOSContext
        let borderTree: STRtree?
        let coastTree: STRtree?
        let corridor: Double
        let sampleStep: Double

        init(_ analysis: RouteGeometryAnalysis) throws {
            context = try GEOSContext()
            let c = context
            borderTree = analysis.borders.pieces.isEmpty ? nil
                : try STRtree(analysis.borders.pieces.map { try Geometry.lineString($0, context: c) }, context: c)
            coastTree = analysis.coastline.pieces.isEmpty ? nil
                : try STRtree(analysis.coastline.pieces.map { try Geometry.lineString($0, context: c) }, context: c)
            corridor = analysis.corridor
            sampleStep = analysis.sampleStep
            borderStamps = Stamps(count: analysis.borders.pieces.count)
            coastStamps = Stamps(count: analysis.coastline.pieces.count)
        }

        let borderStamps: Stamps
        let coastStamps: Stamps

        func measure(_ parts: [[PlanarPoint]]) throws -> RouteGeometryFacts {
            let route = try Geometry.lines(parts, context: context)
            let length = try route.length
            // A MultiLineString is buffered as a whole: 8 segments per quarter circle, round caps and joins.
            let corridorPolygon = try route.buffer(by: corridor, quadrantSegments: 8)
            let corridorArea = try corridorPolygon.area

            let prepared = try route.prepared()
            let crossings = try intersectionPoints(route, prepared, parts, borderTree, borderStamps)
            let landings = try intersectionPoints(route, prepared, parts, coastTree, coastStamps)

            // Every s/2 along each part (GEOSInterpolate_r's points, one walk per part).
            var samples: [PlanarPoint] = []
            for part in parts {
                samples += LineSamples.samples(along: part, step: sampleStep)
            }
            return RouteGeometryFacts(
                length: length, corridorArea: corridorArea, eventIndices: [],
                crossings: crossings, landings: landings, intensitySamples: samples)
        }

        /// The STRtree candidates near a route: one query per stretch of at most `queryStep`
        /// along each segment (padded), so a long diagonal route does not query its whole
        /// envelope. Sorted, without repeats (a stamp per indexed item, not a hash set).
        static let queryStep = 10_000.0

        final class Stamps {
            var marks: [Int32]
            var epoch: Int32 = 0
            init(count: Int) { marks = [Int32](repeating: -1, count: count) }
        }

        static func query(_ tree: STRtree, along parts: [[PlanarPoint]], padding: Double, stamps: Stamps) throws -> [Int] {
            stamps.epoch &+= 1
            var found: [Int] = []
            for part in parts {
                for (a, b) in zip(part, part.dropFirst()) {
                    let pieces = max(1, Int((a.distance(to: b) / queryStep).rounded(.up)))
                    for k in 0..<pieces {
                        let t0 = Double(k) / Double(pieces), t1 = Double(k + 1) / Double(pieces)
                        let x0 = a.x + (b.x - a.x) * t0, x1 = a.x + (b.x - a.x) * t1
                        let y0 = a.y + (b.y - a.y) * t0, y1 = a.y + (b.y - a.y) * t1
                        for i in try tree.query(
                            minX: min(x0, x1) - padding, minY: min(y0, y1) - padding,
                            maxX: max(x0, x1) + padding, maxY: max(y0, y1) + padding)
                        where stamps.marks[i] != stamps.epoch {
                            stamps.marks[i] = stamps.epoch
                            found.append(i)
                        }
                    }
                }
            }
            return found.sorted()
        }

        /// The points of the GEOS intersection of the route with a layer (touches included),
        /// a shared stretch counted by its two end points, equal points once (MODEL §9).
        private func intersectionPoints(_ route: Geometry, _ prepared: PreparedGeometry, _ parts: [[PlanarPoint]], _ tree: STRtree?, _ stamps: Stamps) throws -> [PlanarPoint] {
            guard let tree else { return [] }
            let hits = try Self.query(tree, along: parts, padding: 0, stamps: stamps)
            var points: [PlanarPoint] = []
            var stretches: [[PlanarPoint]] = []
            for i in hits {
                let piece = tree.geometries[i]
                // GEOSPreparedIntersects_r first: most candidate pieces only share an envelope.
                guard try prepared.intersects(piece) else { continue }
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
