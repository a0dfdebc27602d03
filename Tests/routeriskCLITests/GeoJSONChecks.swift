import Foundation
import XCTest

/// RFC 7946 checks on GeoJSON as written (MODEL §11), on the raw text so that number
/// formatting and key order are seen as they are in the file.
enum GeoJSONChecks {
    typealias Position = (lon: Double, lat: Double)

    /// Digits after the decimal point of a number as written; nil when it has an exponent.
    static func decimals(_ text: String) -> Int? {
        if text.contains("e") || text.contains("E") { return nil }
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }

    /// Every position under a `coordinates` member, with its number texts.
    static func positions(_ coordinates: OrderedJSON) -> [[String]] {
        guard let items = coordinates.array else { return [] }
        if items.allSatisfy({ $0.numberText != nil }) { return [items.map { $0.numberText! }] }
        return items.flatMap(positions)
    }

    static func position(_ texts: [String]) -> Position { (Double(texts[0])!, Double(texts[1])!) }

    /// Twice the signed area of a lon/lat ring (shoelace; > 0 counter-clockwise).
    static func shoelace(_ ring: [Position]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + $1.0.lon * $1.1.lat - $1.1.lon * $1.0.lat }
    }

    static func bbox(_ json: OrderedJSON?, file: StaticString, line: UInt, what: String) -> [Double]? {
        guard let values = json?.array?.compactMap(\.double), values.count == 4 else {
            XCTFail("\(what): no bbox of four numbers", file: file, line: line)
            return nil
        }
        return values
    }

    static func assertContains(_ box: [Double], _ p: Position, _ what: String, file: StaticString, line: UInt) {
        XCTAssert(
            box[0] <= p.lon && p.lon <= box[2] && box[1] <= p.lat && p.lat <= box[3],
            "\(what): (\(p.lon), \(p.lat)) outside bbox \(box)", file: file, line: line)
    }

    /// The whole file: a FeatureCollection with a bbox that holds (and fits) every written
    /// coordinate; coordinates with at most 7 decimals and in lon/lat range; polygon rings
    /// closed, exterior counter-clockwise, holes clockwise.
    static func assertRFC7946(_ data: Data, name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let doc = try OrderedJSON.parse(data)
        guard case .string("FeatureCollection")? = doc["type"] else {
            return XCTFail("\(name): not a FeatureCollection", file: file, line: line)
        }
        let top = bbox(doc["bbox"], file: file, line: line, what: "\(name) (collection)")
        for texts in (doc["bbox"]?.array ?? []).compactMap(\.numberText) {
            XCTAssertLessThanOrEqual(decimals(texts) ?? 99, 7, "\(name): bbox value \(texts)", file: file, line: line)
        }
        var all: [Position] = []
        for (index, feature) in (doc["features"]?.array ?? []).enumerated() {
            let what = "\(name) feature \(index + 1)"
            guard let geometry = feature["geometry"], let coordinates = geometry["coordinates"] else {
                XCTFail("\(what): no geometry", file: file, line: line)
                continue
            }
            let texts = positions(coordinates)
            XCTAssertFalse(texts.isEmpty, "\(what): no coordinates", file: file, line: line)
            for p in texts {
                XCTAssertEqual(p.count, 2, "\(what): position \(p) is not [lon, lat]", file: file, line: line)
                for t in p {
                    let d = decimals(t)
                    XCTAssert(d != nil && d! <= 7, "\(what): coordinate \(t) has more than 7 decimals", file: file, line: line)
                }
                let q = position(p)
                XCTAssert(abs(q.lon) <= 180 && abs(q.lat) <= 90, "\(what): \(p) is not lon/lat", file: file, line: line)
                all.append(q)
            }
            if let featureBox = feature["bbox"], let box = bbox(featureBox, file: file, line: line, what: what) {
                for p in texts { assertContains(box, position(p), what, file: file, line: line) }
            }
            guard case .string(let type)? = geometry["type"] else { continue }
            var polygons: [OrderedJSON] = []
            if type == "Polygon" { polygons = [coordinates] }
            if type == "MultiPolygon" { polygons = coordinates.array ?? [] }
            for polygon in polygons {
                for (r, ring) in (polygon.array ?? []).enumerated() {
                    let pts = positions(ring)
                    XCTAssertGreaterThanOrEqual(pts.count, 4, "\(what): ring \(r) too short", file: file, line: line)
                    XCTAssertEqual(pts.first, pts.last, "\(what): ring \(r) is not closed", file: file, line: line)
                    let area2 = shoelace(pts.map(position))
                    if r == 0 {
                        XCTAssertGreaterThan(area2, 0, "\(what): exterior ring is not counter-clockwise", file: file, line: line)
                    } else {
                        XCTAssertLessThan(area2, 0, "\(what): hole \(r) is not clockwise", file: file, line: line)
                    }
                }
            }
        }
        guard let top, !all.isEmpty else { return }
        for p in all { assertContains(top, p, "\(name) collection", file: file, line: line) }
        // "from the written coordinates": the box is the envelope of what was written.
        let envelope = [all.map(\.lon).min()!, all.map(\.lat).min()!, all.map(\.lon).max()!, all.map(\.lat).max()!]
        for k in 0..<4 {
            XCTAssertEqual(top[k], envelope[k], accuracy: 1e-7, "\(name): bbox[\(k)] is not the envelope of the coordinates", file: file, line: line)
        }
    }

    /// Property names of every feature, in file order.
    static func propertyKeys(_ data: Data) throws -> [[String]] {
        let doc = try OrderedJSON.parse(data)
        return (doc["features"]?.array ?? []).map { $0["properties"]?.keys ?? [] }
    }
}
