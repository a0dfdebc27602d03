internal import CGDAL
import Foundation

/// The attribute types routerisk writes.
enum FieldKind {
    case string, integer, real
    /// OFTInteger with the boolean subtype (a GeoPackage BOOLEAN, a PostgreSQL boolean).
    case boolean
    /// OFTDateTime, set from ISO 8601 text.
    case dateTime
}

/// The geometry type of a layer to write.
enum OGRGeometryKind {
    case any, lineString, polygon, point
    /// Lines written as MultiLineString (a LineString is promoted), for a database column of one type.
    case multiLineString

    var ogrType: OGRwkbGeometryType {
        switch self {
        case .any: return wkbUnknown
        case .lineString: return wkbLineString
        case .multiLineString: return wkbMultiLineString
        case .polygon: return wkbPolygon
        case .point: return wkbPoint
        }
    }
}

struct FieldDefinition {
    let name: String
    let kind: FieldKind
}

/// Writes one vector dataset through an OGR driver ("GeoJSON", "GPKG"), in WGS84 lon/lat.
/// The caller writes into a temporary path and renames it when `close()` succeeded.
final class VectorWriter {
    let path: String
    private var dataset: GDALDatasetH?
    private let wgs84: OGRSpatialReferenceH
    /// GDAL's GeoJSON writer does not check its `VSIFPrintfL` calls: on a full disk (or a
    /// file-size limit) it leaves a truncated file and reports success. So GeoJSON is written
    /// into `/vsimem/` and copied to `path` by `close()` with checked `write(2)` calls.
    private let memoryPath: String?

    init(driver name: String, path: String, options: [String] = []) throws {
        GDAL.ensureRegistered()
        GDAL.resetError()
        self.path = path
        memoryPath = name == "GeoJSON" ? "/vsimem/routerisk-\(UUID().uuidString).geojson" : nil
        guard let driver = GDALGetDriverByName(name) else {
            throw GDALError(path: path, message: "GDAL has no \(name) driver")
        }
        let target = memoryPath ?? path
        dataset = GDAL.withStringList(options) { GDALCreate(driver, target, 0, 0, 0, GDT_Unknown, $0) }
        guard dataset != nil else { throw GDAL.lastError(path: path, fallback: "cannot create") }
        wgs84 = OSRNewSpatialReference(nil)
        OSRSetWellKnownGeogCS(wgs84, "WGS84")
        OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER)
    }

    /// Opens an existing dataset for update: a database (`PG:…`) that layers are added to.
    /// Throws `VectorSourceError` with kind `.connection` when GDAL cannot connect.
    init(updating connection: String) throws {
        GDAL.ensureRegistered()
        GDAL.resetError()
        self.path = connection
        memoryPath = nil
        dataset = GDALOpenEx(connection, UInt32(GDAL_OF_VECTOR | GDAL_OF_UPDATE), nil, nil, nil)
        guard dataset != nil else {
            let message = CPLGetLastErrorMsg().map { String(cString: $0) } ?? ""
            throw VectorSourceError(kind: .connection, message: message.isEmpty ? "cannot open for writing" : message)
        }
        wgs84 = OSRNewSpatialReference(nil)
        OSRSetWellKnownGeogCS(wgs84, "WGS84")
        OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER)
    }

    /// `GDALDatasetStartTransaction` (non-forced: a database's own transaction).
    func startTransaction() throws {
        GDAL.resetError()
        guard let dataset, GDALDatasetStartTransaction(dataset, 0) == OGRERR_NONE else {
            throw GDAL.lastError(path: path, fallback: "cannot start a transaction")
        }
    }

    func commitTransaction() throws {
        GDAL.resetError()
        guard let dataset, GDALDatasetCommitTransaction(dataset) == OGRERR_NONE else {
            throw GDAL.lastError(path: path, fallback: "cannot commit the transaction")
        }
    }

    func rollbackTransaction() {
        if let dataset { _ = GDALDatasetRollbackTransaction(dataset) }
    }

    /// Runs one SQL statement through the driver (`GDALDatasetExecuteSQL`); the rows of a
    /// result set as text (NULL as nil), in order.
    @discardableResult
    func execute(_ sql: String) throws -> [[String?]] {
        GDAL.resetError()
        guard let dataset else { throw GDALError(path: path, message: "already closed") }
        let result = GDALDatasetExecuteSQL(dataset, sql, nil, nil)
        if CPLGetLastErrorType() == CE_Failure {
            if let result { GDALDatasetReleaseResultSet(dataset, result) }
            throw GDAL.lastError(path: path, fallback: "SQL failed")
        }
        guard let result else { return [] }
        defer { GDALDatasetReleaseResultSet(dataset, result) }
        var rows: [[String?]] = []
        let count = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(result))
        OGR_L_ResetReading(result)
        while let feature = OGR_L_GetNextFeature(result) {
            defer { OGR_F_Destroy(feature) }
            rows.append((0..<count).map {
                OGR_F_IsFieldSetAndNotNull(feature, $0) != 0 ? String(cString: OGR_F_GetFieldAsString(feature, $0)) : nil
            })
        }
        return rows
    }

    deinit {
        if let dataset { GDALClose(dataset) }
        if let memoryPath { VSIUnlink(memoryPath) }
        OSRDestroySpatialReference(wgs84)
    }

    /// A new layer; `geometry` is nil for an attribute-only table. `referenced: false` leaves the layer without a
    /// spatial reference (its coordinates are still lon/lat: a GeoJSON layer then has no `crs` member).
    func addLayer(name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition], options: [String] = [],
                  referenced: Bool = true) throws -> LayerWriter {
        GDAL.resetError()
        guard let dataset else { throw GDALError(path: path, message: "already closed") }
        let layer = GDAL.withStringList(options) {
            GDALDatasetCreateLayer(dataset, name, geometry == nil || !referenced ? nil : wgs84, geometry?.ogrType ?? wkbNone, $0)
        }
        guard let layer else { throw GDAL.lastError(path: path, fallback: "cannot create layer \(name)") }
        for field in fields {
            let type: OGRFieldType
            switch field.kind {
            case .string: type = OFTString
            case .integer: type = OFTInteger64
            case .real: type = OFTReal
            case .boolean: type = OFTInteger
            case .dateTime: type = OFTDateTime
            }
            let fd = OGR_Fld_Create(field.name, type)
            defer { OGR_Fld_Destroy(fd) }
            if field.kind == .boolean { OGR_Fld_SetSubType(fd, OFSTBoolean) }
            guard OGR_L_CreateField(layer, fd, 1) == OGRERR_NONE else {
                throw GDAL.lastError(path: path, fallback: "cannot create field \(field.name)")
            }
        }
        return LayerWriter(layer: layer, path: path, fieldCount: fields.count, promoteToMulti: geometry == .multiLineString)
    }

    /// Flushes and closes the dataset (`GDALClose` returns CE_None on success in GDAL ≥ 3.7;
    /// here the last error state is checked as well).
    func close() throws {
        guard dataset != nil else { return }
        guard memoryPath != nil else { return try closeDataset() }
        // GeoJSON: the text GDAL wrote in memory, copied to `path` with checked writes.
        let text = try closeIntoMemory()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw GDALError(path: path, message: String(cString: strerror(errno))) }
        do {
            try writeAll(fd, text.bytes, count: text.count, at: 0, path: path)
        } catch {
            Foundation.close(fd)
            throw error
        }
        guard Foundation.close(fd) == 0 else { throw GDALError(path: path, message: String(cString: strerror(errno))) }
    }

    /// Closes a GeoJSON dataset and hands over the text GDAL wrote into memory (`VSIGetMemFileBuffer` with
    /// bUnlinkAndSeize = TRUE) instead of copying it to `path` (`GeoJSONChunks` writes a layer's chunks into one
    /// file itself).
    func closeIntoMemory() throws -> MemoryText {
        guard let memoryPath else { throw GDALError(path: path, message: "only a GeoJSON dataset is written in memory") }
        guard dataset != nil else { throw GDALError(path: path, message: "already closed") }
        try closeDataset()
        var length: vsi_l_offset = 0
        guard let buffer = VSIGetMemFileBuffer(memoryPath, &length, 1) else {
            throw GDALError(path: path, message: "the GeoJSON written in memory is missing")
        }
        return MemoryText(bytes: buffer, count: Int(length))
    }

    /// `GDALClose`, its error a Swift error.
    private func closeDataset() throws {
        GDAL.resetError()
        GDALClose(dataset)
        dataset = nil
        if CPLGetLastErrorType() == CE_Failure {
            throw GDAL.lastError(path: path, fallback: "cannot finish writing")
        }
    }
}

/// `pwrite` of all `count` bytes at offset `at` of `fd`, failing on any error (a full disk, a file-size limit)
/// with the file named.
func writeAll(_ fd: Int32, _ bytes: UnsafePointer<UInt8>, count: Int, at: Int, path: String) throws {
    var done = 0
    while done < count {
        let n = pwrite(fd, bytes + done, count - done, off_t(at + done))
        if n < 0 {
            if errno == EINTR { continue }
            throw GDALError(path: path, message: String(cString: strerror(errno)))
        }
        done += n
    }
}

/// Text GDAL wrote into `/vsimem/`, seized from it (`VSIGetMemFileBuffer` with bUnlinkAndSeize): its one owner,
/// freed with `VSIFree`.
final class MemoryText: @unchecked Sendable {
    let bytes: UnsafeMutablePointer<UInt8>
    let count: Int

    fileprivate init(bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// Text made in Swift (tests).
    convenience init(_ text: [UInt8]) {
        let bytes = VSIMalloc(Swift.max(1, text.count))!.assumingMemoryBound(to: UInt8.self)
        if !text.isEmpty { text.withUnsafeBufferPointer { bytes.update(from: $0.baseAddress!, count: text.count) } }
        self.init(bytes: bytes, count: text.count)
    }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: count) }

    deinit { VSIFree(bytes) }
}

/// A layer's extent in lon/lat.
struct LayerExtent: Equatable, Sendable {
    var minX, minY, maxX, maxY: Double

    /// The extent of both.
    func union(_ other: LayerExtent) -> LayerExtent {
        LayerExtent(minX: Swift.min(minX, other.minX), minY: Swift.min(minY, other.minY),
                    maxX: Swift.max(maxX, other.maxX), maxY: Swift.max(maxY, other.maxY))
    }
}

struct LayerWriter {
    fileprivate let layer: OGRLayerH
    let path: String
    let fieldCount: Int
    var promoteToMulti = false

    /// Ends the layer's pending writes (a PostgreSQL COPY) so that SQL can follow (`OGR_L_SyncToDisk`).
    func finish() throws {
        GDAL.resetError()
        guard OGR_L_SyncToDisk(layer) == OGRERR_NONE else {
            throw GDAL.lastError(path: path, fallback: "cannot finish the layer")
        }
    }

    /// The extent of the features written so far (`OGR_L_GetExtent` without forcing: what OGR's GeoJSON writer
    /// keeps for the layer's bbox), nil when none had a geometry.
    func extent() -> LayerExtent? {
        var envelope = OGREnvelope()
        guard OGR_L_GetExtent(layer, &envelope, 0) == OGRERR_NONE else { return nil }
        return LayerExtent(minX: envelope.MinX, minY: envelope.MinY, maxX: envelope.MaxX, maxY: envelope.MaxY)
    }

    /// Adds a feature with a geometry as WKB (lon/lat) and the fields in definition order.
    func write(wkb: [UInt8]?, values: [FieldValue]) throws {
        precondition(values.count == fieldCount, "one value per field")
        GDAL.resetError()
        let feature = OGR_F_Create(OGR_L_GetLayerDefn(layer))
        defer { OGR_F_Destroy(feature) }
        for (i, value) in values.enumerated() {
            let idx = Int32(i)
            switch value {
            case .string(let s): OGR_F_SetFieldString(feature, idx, s)
            case .integer(let v): OGR_F_SetFieldInteger64(feature, idx, v)
            case .real(let v):
                if v.isFinite { OGR_F_SetFieldDouble(feature, idx, v) } else { OGR_F_SetFieldNull(feature, idx) }
            case .boolean(let b): OGR_F_SetFieldInteger64(feature, idx, b ? 1 : 0)
            case .null: OGR_F_SetFieldNull(feature, idx)
            }
        }
        if let wkb {
            var geometry: OGRGeometryH? = nil
            // OGR_G_CreateFromWkb returns OGRERR_NONE (0) on success; the feature then takes ownership.
            let status = wkb.withUnsafeBufferPointer { OGR_G_CreateFromWkb($0.baseAddress, nil, &geometry, Int32(wkb.count)) }
            guard status == OGRERR_NONE, let geometry else {
                throw GDAL.lastError(path: path, fallback: "cannot read a geometry to write")
            }
            // OGR_G_ForceToMultiLineString takes ownership and returns the (possibly new) geometry.
            OGR_F_SetGeometryDirectly(feature, promoteToMulti ? OGR_G_ForceToMultiLineString(geometry) : geometry)
        }
        guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
            throw GDAL.lastError(path: path, fallback: "cannot write a feature")
        }
    }
}
