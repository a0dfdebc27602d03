internal import CGDAL
import Foundation

/// An attribute value read from or written to OGR.
public enum FieldValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case null

    /// The value as text, as a user would write it: a whole number without ".0" (MODEL §1: ids).
    var text: String? {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .real(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case .boolean(let b): return b ? "true" : "false"
        case .null: return nil
        }
    }
}

/// One feature as read: its position in the layer (0-based), its feature id (OGR's FID: the
/// primary key of a database table), its geometry as ISO WKB (lon/lat or the layer's CRS) and
/// its attributes by field name.
struct VectorFeature {
    let index: Int
    let fid: Int64?
    let wkb: [UInt8]?
    let fields: [String: FieldValue]
}

/// Opening a source failed: `connection` when GDAL could not reach or log into a server
/// (a PG connection string), `notFound` when the layer named is not in the source.
struct VectorSourceError: Error {
    enum Kind { case cannotOpen, connection, layerNotFound }
    let kind: Kind
    let message: String
}

/// One layer of any vector source GDAL/OGR opens (`GDALOpenEx` with `GDAL_OF_VECTOR`): a file
/// or a connection string, the layer chosen by name (`GDALDatasetGetLayerByName`) or the first.
struct VectorSource {
    let path: String
    let fieldNames: [String]
    let features: [VectorFeature]
    /// The layer's CRS as WKT, or nil when the source declares none.
    let crsWKT: String?
    /// True when the declared CRS is WGS84 lon/lat (or none is declared).
    let isLonLat: Bool
    /// The column OGR reads the feature id from (`OGR_L_GetFIDColumn`), e.g. `ogc_fid`; "" for files.
    let fidColumn: String

    /// The OGR drivers that may open a file with this extension; empty: any driver.
    static func drivers(forExtension ext: String) -> [String] {
        switch ext.lowercased() {
        case "geojson", "json": return ["GeoJSON", "GeoJSONSeq", "ESRIJSON", "TopoJSON"]
        case "geojsonl", "geojsons": return ["GeoJSONSeq"]
        case "kml": return ["KML", "LIBKML"]
        case "kmz": return ["LIBKML"]
        case "gpkg": return ["GPKG"]
        case "shp", "dbf": return ["ESRI Shapefile"]
        case "fgb": return ["FlatGeobuf"]
        case "gml": return ["GML"]
        default: return []
        }
    }

    init(path: String) throws {
        try self.init(dataset: path, layerName: nil, orderByFID: false)
    }

    /// `orderByFID`: sort features by feature id, for a database table whose row order is
    /// not defined (a PostGIS table without ORDER BY), so that a run is deterministic.
    init(dataset: String, layerName: String?, orderByFID: Bool) throws {
        GDAL.ensureRegistered()
        GDAL.resetError()
        self.path = dataset
        // GDALOpenEx returns NULL when no driver can open the source. A file with a known
        // extension admits only its own drivers, so that GDAL's content sniffing cannot hand a
        // ".geojson" to another driver (FuzzLayer found a few bytes containing "<osm" read by
        // the OSM driver, which builds a temporary SQLite index: over a second for 11 bytes).
        let allowed = ConnectionString.isConnection(dataset) ? [] : Self.drivers(forExtension: (dataset as NSString).pathExtension)
        let ds = GDAL.withConstStringList(allowed) { list in
            GDALOpenEx(dataset, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY), allowed.isEmpty ? nil : list, nil, nil)
        }
        guard let ds else {
            let message = CPLGetLastErrorMsg().map { String(cString: $0) } ?? ""
            let how = allowed.isEmpty ? "" : " (read as \(allowed.joined(separator: " or ")) by its extension)"
            throw VectorSourceError(
                kind: ConnectionString.isPostgres(dataset) ? .connection : .cannotOpen,
                message: (message.isEmpty ? "not a vector dataset GDAL can open" : message) + how)
        }
        defer { GDALClose(ds) }
        let chosen: OGRLayerH?
        if let layerName {
            chosen = GDALDatasetGetLayerByName(ds, layerName)
            guard chosen != nil else {
                let names = (0..<GDALDatasetGetLayerCount(ds)).compactMap { GDALDatasetGetLayer(ds, $0) }
                    .map { String(cString: OGR_L_GetName($0)) }
                let listed = names.count > 20 ? names.prefix(20).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
                throw VectorSourceError(kind: .layerNotFound, message: "has no layer '\(layerName)' (layers: \(names.isEmpty ? "none" : listed))")
            }
        } else {
            chosen = GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : nil
        }
        guard let layer = chosen else {
            throw VectorSourceError(kind: .layerNotFound, message: "has no layer")
        }
        fidColumn = OGR_L_GetFIDColumn(layer).map { String(cString: $0) } ?? ""
        let defn = OGR_L_GetLayerDefn(layer)
        let fieldCount = Int(OGR_FD_GetFieldCount(defn))
        var names: [String] = []
        var types: [OGRFieldType] = []
        for i in 0..<fieldCount {
            let fd = OGR_FD_GetFieldDefn(defn, Int32(i))
            names.append(String(cString: OGR_Fld_GetNameRef(fd)))
            types.append(OGR_Fld_GetType(fd))
        }
        fieldNames = names

        if let srs = OGR_L_GetSpatialRef(layer) {
            var wktPointer: UnsafeMutablePointer<CChar>? = nil
            GDAL.withConstStringList(["FORMAT=WKT2_2019"]) { options in
                _ = OSRExportToWktEx(srs, &wktPointer, options)
            }
            crsWKT = wktPointer.map { String(cString: $0) }
            VSIFree(wktPointer)
            let wgs84 = OSRNewSpatialReference(nil)
            defer { OSRDestroySpatialReference(wgs84) }
            OSRSetWellKnownGeogCS(wgs84, "WGS84")
            isLonLat = GDAL.withConstStringList(["CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS"]) { options in
                OSRIsSameEx(srs, wgs84, options) != 0
            }
        } else {
            crsWKT = nil
            isLonLat = true
        }

        var features: [VectorFeature] = []
        OGR_L_ResetReading(layer)
        var index = 0
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature); index += 1 }
            var wkb: [UInt8]? = nil
            if let geometry = OGR_F_GetGeometryRef(feature) {  // borrowed from the feature
                let size = Int(OGR_G_WkbSize(geometry))
                var bytes = [UInt8](repeating: 0, count: size)
                // OGR_G_ExportToIsoWkb returns OGRERR_NONE (0) on success.
                let status = bytes.withUnsafeMutableBufferPointer { OGR_G_ExportToIsoWkb(geometry, wkbNDR, $0.baseAddress) }
                if status == OGRERR_NONE { wkb = bytes }
            }
            var values: [String: FieldValue] = [:]
            for i in 0..<fieldCount {
                let idx = Int32(i)
                guard OGR_F_IsFieldSetAndNotNull(feature, idx) != 0 else {
                    values[names[i]] = .null
                    continue
                }
                switch types[i] {
                case OFTInteger, OFTInteger64:
                    values[names[i]] = .integer(OGR_F_GetFieldAsInteger64(feature, idx))
                case OFTReal:
                    values[names[i]] = .real(OGR_F_GetFieldAsDouble(feature, idx))
                case OFTDate, OFTDateTime:
                    // GDAL's own text form is "2024/05/02 10:00:00+07"; read the parts instead.
                    values[names[i]] = .string(Self.isoDateTime(feature, idx, dateOnly: types[i] == OFTDate))
                default:
                    values[names[i]] = .string(String(cString: OGR_F_GetFieldAsString(feature, idx)))
                }
            }
            let fid = OGR_F_GetFID(feature)
            features.append(VectorFeature(index: index, fid: fid == OGRNullFID ? nil : fid, wkb: wkb, fields: values))
        }
        let message = CPLGetLastErrorType() == CE_Failure ? CPLGetLastErrorMsg().map { String(cString: $0) } : nil
        if let message, !message.isEmpty { throw VectorSourceError(kind: .cannotOpen, message: message) }
        if orderByFID, features.allSatisfy({ $0.fid != nil }) {
            features = features.sorted { $0.fid! < $1.fid! }.enumerated().map {
                VectorFeature(index: $0.offset, fid: $0.element.fid, wkb: $0.element.wkb, fields: $0.element.fields)
            }
        }
        self.features = features
    }

    /// A date or date-time field as ISO 8601 (`OGR_F_GetFieldAsDateTimeEx`): "YYYY-MM-DD", or
    /// "YYYY-MM-DDTHH:MM:SS[.fff]" with "Z" (GMT) or "±HH:MM" when OGR knows the zone.
    private static func isoDateTime(_ feature: OGRFeatureH, _ idx: Int32, dateOnly: Bool) -> String {
        var y: Int32 = 0, mo: Int32 = 0, d: Int32 = 0, h: Int32 = 0, mi: Int32 = 0, tz: Int32 = 0
        var sec: Float = 0
        guard OGR_F_GetFieldAsDateTimeEx(feature, idx, &y, &mo, &d, &h, &mi, &sec, &tz) != 0 else {
            return String(cString: OGR_F_GetFieldAsString(feature, idx))
        }
        let date = String(format: "%04d-%02d-%02d", y, mo, d)
        if dateOnly { return date }
        let whole = Int(sec)
        let millis = Int(((Double(sec) - Double(whole)) * 1000).rounded())
        var text = date + String(format: "T%02d:%02d:%02d", h, mi, whole) + (millis > 0 ? String(format: ".%03d", millis) : "")
        // OGR's zone flag: 100 = GMT, 100 ± n = GMT ± n quarter hours, 0/1 = unknown/local (taken as UTC).
        if tz == 100 {
            text += "Z"
        } else if tz > 1 {
            let minutes = Int(tz - 100) * 15
            text += String(format: "%@%02d:%02d", minutes < 0 ? "-" : "+", abs(minutes) / 60, abs(minutes) % 60)
        }
        return text
    }
}
