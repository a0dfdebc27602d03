import Foundation

/// The working CRS of MODEL §2: metric, fixed by the geography only.
public struct WorkingProjection: Sendable, Equatable {
    /// A PROJ string or `EPSG:n`, as given to PROJ.
    public let definition: String
    /// How it was chosen: "auto" or "user".
    public let origin: String
    /// The CRS as a PROJ string, for `summary.json` (MODEL §11).
    public var projString: String {
        (try? CRSInspector.projString(definition)) ?? definition
    }

    /// `--crs auto`: Lambert Azimuthal Equal-Area centred on the middle of the lon/lat
    /// bounding box of the geography, φ0/λ0 rounded half away from zero to 0.01°.
    public static func automatic(lonMin: Double, latMin: Double, lonMax: Double, latMax: Double) -> WorkingProjection {
        let lat0 = roundToHundredths((latMin + latMax) / 2)
        let lon0 = roundToHundredths((lonMin + lonMax) / 2)
        let def = "+proj=laea +lat_0=\(twoDecimals(lat0)) +lon_0=\(twoDecimals(lon0)) +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        return WorkingProjection(definition: def, origin: "auto")
    }

    public static func user(_ definition: String) -> WorkingProjection {
        WorkingProjection(definition: definition, origin: "user")
    }

    /// Half away from zero, at 0.01° (`Double.rounded(.toNearestOrAwayFromZero)` on hundredths).
    static func roundToHundredths(_ v: Double) -> Double {
        (v * 100).rounded(.toNearestOrAwayFromZero) / 100
    }

    static func twoDecimals(_ v: Double) -> String {
        let s = String(format: "%.2f", v)
        return s == "-0.00" ? "0.00" : s
    }
}
