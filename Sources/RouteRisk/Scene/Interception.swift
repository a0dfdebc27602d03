/// One valid interception event (MODEL §1): one row of the interceptions layer.
///
/// Only the fields of the model are kept; any other column of the source
/// (names, document numbers …) is never read into this type.
public struct Interception: Sendable {
    /// The record's id, or nil when the source gave none (or an empty one).
    public let id: String?
    /// Seconds since 1970-01-01T00:00:00Z.
    public let time: Double
    /// WGS84 longitude in degrees, −180…180.
    public let lon: Double
    /// WGS84 latitude in degrees, −90…90.
    public let lat: Double
    /// Number of persons, ≥ 0 (1 when the source left it empty).
    public let persons: Int
    public let category: String?
    public let mode: String?
    public let location: SourceLocation

    public init(
        id: String?, time: Double, lon: Double, lat: Double, persons: Int,
        category: String?, mode: String?, location: SourceLocation
    ) {
        self.id = id
        self.time = time
        self.lon = lon
        self.lat = lat
        self.persons = persons
        self.category = category
        self.mode = mode
        self.location = location
    }
}
