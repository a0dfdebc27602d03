/// Reads the interceptions layer from a CSV table (MODEL §1).
///
/// Header names are trimmed and matched case-insensitively: `id`, `date`,
/// `lon` (or `longitude`, `lng`), `lat` (or `latitude`), `persons`,
/// `category`, `mode`. `date`, `lon` and `lat` are required. Other columns are
/// allowed and never read, so personal fields cannot leak into the results.
public struct InterceptionCSVReader {
    /// The model's fields and the header names that give them.
    enum Field: String, CaseIterable {
        case id, date, lon, lat, persons, category, mode

        static func named(_ header: String) -> Field? {
            switch trimmed(header).lowercased() {
            case "id": return .id
            case "date": return .date
            case "lon", "longitude", "lng": return .lon
            case "lat", "latitude": return .lat
            case "persons": return .persons
            case "category": return .category
            case "mode": return .mode
            default: return nil
            }
        }
    }

    /// Validates every row. Throws `SceneError.missingColumn` when `date`,
    /// `lon` or `lat` has no column and `SceneError.duplicateColumn` when two
    /// columns give the same field; each invalid row becomes a `DataProblem`
    /// (a row with the wrong number of fields is not looked at further).
    public static func read(
        table: CSVTable, file: String, now: Double
    ) throws -> (events: [Interception], problems: [DataProblem]) {
        let found = table.header.map { trimmed($0) }
        var column: [Field: Int] = [:]
        for (index, name) in table.header.enumerated() {
            guard let field = Field.named(name) else { continue }
            if column[field] != nil {
                throw SceneError.duplicateColumn(file: file, column: field.rawValue, found: found)
            }
            column[field] = index
        }
        for required in [Field.date, .lon, .lat] where column[required] == nil {
            throw SceneError.missingColumn(file: file, column: required.rawValue, found: found)
        }

        let width = table.header.count
        let idColumn = column[.id], dateColumn = column[.date], lonColumn = column[.lon]
        let latColumn = column[.lat], personsColumn = column[.persons]
        let categoryColumn = column[.category], modeColumn = column[.mode]
        let validator = InterceptionValidator(file: file, now: now)
        let rows = table.rows
        // The id claims, in file order (the first occurrence stands; a row of the wrong width claims nothing):
        // the first row of each id, found once, so that the rows can then be checked in parallel.
        var ids = [String?](repeating: nil, count: rows.count)
        if let idColumn {
            ids.withUnsafeMutableBufferPointer { out in
                let out = out.baseAddress!
                parallelForEachChunk(count: rows.count, chunkSize: 16_384) { _, range in
                    for r in range where rows[r].fields.count == width { out[r] = validator.nonEmpty(rows[r].fields[idColumn]) }
                }
            }
        }
        let firstRow = firstOccurrences(ids)
        // Rows in parallel chunks, joined in file order. Each chunk's events go into a buffer of its own and are
        // moved (not copied) into the joined array: a copy retained each event's strings and the freed chunks
        // released them again, serially (0.32 s of perf samples at 1 M events).
        let chunkSize = 16_384
        let chunks = (rows.count + chunkSize - 1) / chunkSize
        var parts = [(events: UnsafeMutablePointer<Interception>?, count: Int, problems: [DataProblem])](
            repeating: (nil, 0, []), count: chunks)
        parts.withUnsafeMutableBufferPointer { out in
            parallelForEachChunk(count: rows.count, chunkSize: chunkSize) { chunk, range in
                // Every event's location holds the file name: a copy per chunk, so that the threads do not retain
                // and release one shared string for every row (its reference count's cache line went back and forth).
                let file = String(decoding: Array(file.utf8), as: UTF8.self)
                let validator = InterceptionValidator(file: file, now: now)
                let events = UnsafeMutablePointer<Interception>.allocate(capacity: range.count)
                var count = 0
                var problems: [DataProblem] = []
                for r in range {
                    let row = rows[r]
                    let location = SourceLocation(file: file, line: row.line)
                    guard row.fields.count == width else {
                        problems.append(DataProblem(
                            location: location,
                            reason: "expected \(width) field\(width == 1 ? "" : "s"), found \(row.fields.count)"))
                        continue
                    }
                    let fields = row.fields
                    let first = firstRow[r] >= 0 ? SourceLocation(file: file, line: rows[firstRow[r]].line) : nil
                    let result = validator.validate(
                        claimedID: ids[r], duplicateOf: first, date: dateColumn.map { fields[$0] },
                        lon: InterceptionValidator.Coordinate(text: lonColumn.map { fields[$0] }),
                        lat: InterceptionValidator.Coordinate(text: latColumn.map { fields[$0] }),
                        persons: personsColumn.map { fields[$0] }, category: categoryColumn.map { fields[$0] },
                        mode: modeColumn.map { fields[$0] }, location: location)
                    switch result {
                    case let .success(event):
                        (events + count).initialize(to: event)
                        count += 1
                    case let .failure(problem): problems.append(problem)
                    }
                }
                out[chunk] = (events, count, problems)
            }
        }
        let total = parts.reduce(0) { $0 + $1.count }
        let events = [Interception](unsafeUninitializedCapacity: total) { joined, initialized in
            var at = 0
            for part in parts {
                guard let source = part.events else { continue }
                (joined.baseAddress! + at).moveInitialize(from: source, count: part.count)
                source.deallocate()
                at += part.count
            }
            initialized = at
        }
        let problems = parts.flatMap(\.problems)
        return (events, problems)
    }
}
