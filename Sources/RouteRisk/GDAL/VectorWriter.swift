internal import CGDAL
import Foundation

/// The attribute types routerisk writes.
enum FieldKind {
    case string, integer, real
}

/// The geometry type of a layer to write.
enum OGRGeometryKind {
    case any, lineString, polygon, point

    var ogrType: OGRwkbGeometryType {
        switch self {
        case .any: return wkbUnknown
        case .lineString: return wkbLineString
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

    init(driver name: String, path: String, options: [String] = []) throws {
        GDAL.ensureRegistered()
        GDAL.resetError()
        self.path = path
        guard let driver = GDALGetDriverByName(name) else {
            throw GDALError(path: path, message: "GDAL has no \(name) driver")
        }
        dataset = GDAL.withStringList(options) { GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, $0) }
        guard dataset != nil else { throw GDAL.lastError(path: path, fallback: "cannot create") }
        wgs84 = OSRNewSpatialReference(nil)
        OSRSetWellKnownGeogCS(wgs84, "WGS84")
        OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER)
    }

    deinit {
        if let dataset { GDALClose(dataset) }
        OSRDestroySpatialReference(wgs84)
    }

    /// A new layer; `geometry` is nil for an attribute-only table.
    func addLayer(name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition], options: [String] = []) throws -> LayerWriter {
        GDAL.resetError()
        guard let dataset else { throw GDALError(path: path, message: "already closed") }
        let layer = GDAL.withStringList(options) {
            GDALDatasetCreateLayer(dataset, name, geometry == nil ? nil : wgs84, geometry?.ogrType ?? wkbNone, $0)
        }
        guard let layer else { throw GDAL.lastError(path: path, fallback: "cannot create layer \(name)") }
        for field in fields {
            let type: OGRFieldType
            switch field.kind {
            case .string: type = OFTString
            case .integer: type = OFTInteger64
            case .real: type = OFTReal
            }
            let fd = OGR_Fld_Create(field.name, type)
            defer { OGR_Fld_Destroy(fd) }
            guard OGR_L_CreateField(layer, fd, 1) == OGRERR_NONE else {
                throw GDAL.lastError(path: path, fallback: "cannot create field \(field.name)")
            }
        }
        return LayerWriter(layer: layer, path: path, fieldCount: fields.count)
    }

    /// Flushes and closes the dataset (`GDALClose` returns CE_None on success in GDAL ≥ 3.7;
    /// here the last error state is checked as well).
    func close() throws {
        guard let dataset else { return }
        GDAL.resetError()
        GDALClose(dataset)
        self.dataset = nil
        if CPLGetLastErrorType() == CE_Failure {
            throw GDAL.lastError(path: path, fallback: "cannot finish writing")
        }
    }
}

struct LayerWriter {
    fileprivate let layer: OGRLayerH
    let path: String
    let fieldCount: Int

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
            OGR_F_SetGeometryDirectly(feature, geometry)
        }
        guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
            throw GDAL.lastError(path: path, fallback: "cannot write a feature")
        }
    }
}
