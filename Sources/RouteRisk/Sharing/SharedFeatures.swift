import Foundation

/// Applies small-count suppression to the rows of the score layers (`routes`, `hotspots`) by
/// field name, so that any field added later is kept unless it carries a count.
enum SharedFeatures {
    /// Fields withheld (written as null) for a suppressed row. `rate_ratio` and `p_value` of a
    /// route are exact functions of its weight and count given `expected`, so they go too.
    static let withheld: Set<String> = ["events", "weight", "persons", "rate_ratio", "p_value"]
    /// Fields rounded to two significant digits for a suppressed row.
    static let rounded: Set<String> = ["intensity_km2", "mean_intensity_km2"]

    /// The row with its counts withheld when 1 ≤ `events` < K; `counts` tallies what was changed.
    static func apply(
        _ rule: SmallCountSuppression, fields: [FieldDefinition], values: [FieldValue], force: Bool = false, tally: inout Int
    ) -> (values: [FieldValue], suppressed: Bool) {
        guard let events = eventCount(fields: fields, values: values), force || rule.suppresses(events)
        else { return (values, false) }
        var out = values
        for (i, field) in fields.enumerated() {
            if withheld.contains(field.name) {
                if out[i] != .null { tally += 1 }
                out[i] = .null
            } else if rounded.contains(field.name), case .real(let v) = out[i] {
                out[i] = .real(SmallCountSuppression.rounded(v))
                tally += 1
            }
        }
        return (out, true)
    }

    static func eventCount(fields: [FieldDefinition], values: [FieldValue]) -> Int? {
        guard let i = fields.firstIndex(where: { $0.name == "events" }), case .integer(let n) = values[i] else { return nil }
        return Int(n)
    }

    /// Complementary suppression: the totals of a layer are published (`inputs.used`, the
    /// background intensity, the average route rate), so a single withheld row could be had
    /// back by subtraction. When exactly one row is withheld, the row with the next smallest
    /// count (first in order on ties) is withheld too. Returns the rows to withhold.
    /// Ties go to the smaller `keys` (by code point) when given, else to the earlier row.
    static func rowsToWithhold(_ rule: SmallCountSuppression, counts: [Int], keys: [String]? = nil) -> Set<Int> {
        var rows = Set(counts.indices.filter { rule.suppresses(counts[$0]) })
        func before(_ a: Int, _ b: Int) -> Bool {
            if counts[a] != counts[b] { return counts[a] < counts[b] }
            if let keys, keys[a] != keys[b] { return keys[a].unicodeScalars.lexicographicallyPrecedes(keys[b].unicodeScalars) }
            return a < b
        }
        if rows.count == 1, let next = counts.indices.filter({ !rows.contains($0) && counts[$0] > 0 }).min(by: before) {
            rows.insert(next)
        }
        return rows
    }

    /// The text of a field, for the tie keys.
    static func text(_ name: String, fields: [FieldDefinition], values: [FieldValue]) -> String {
        guard let i = fields.firstIndex(where: { $0.name == name }), case .string(let s) = values[i] else { return "" }
        return s
    }
}

extension SharedFeatures {
    typealias Row = (wkb: [UInt8]?, values: [FieldValue])

    /// The route and cell rows of a score run with small counts withheld.
    static func shareScoreRows(
        _ rule: SmallCountSuppression, routeFields: [FieldDefinition], routeRows: [Row],
        cellFields: [FieldDefinition], cellRows: [Row]
    ) -> (routes: [Row], cells: [Row], counts: SuppressionCounts) {
        var counts = SuppressionCounts()
        var tally = 0
        // Routes tie by id, as RouteScoring decides which explanations to word as withheld.
        func share(_ rows: [Row], fields: [FieldDefinition], byID: Bool, withheld: inout Int) -> [Row] {
            let withhold = rowsToWithhold(
                rule, counts: rows.map { eventCount(fields: fields, values: $0.values) ?? 0 },
                keys: byID ? rows.map { text("id", fields: fields, values: $0.values) } : nil)
            return rows.enumerated().map { i, row -> Row in
                guard withhold.contains(i) else { return row }
                withheld += 1
                return (row.wkb, apply(rule, fields: fields, values: row.values, force: true, tally: &tally).values)
            }
        }
        let routes = share(routeRows, fields: routeFields, byID: true, withheld: &counts.routes)
        let cells = share(cellRows, fields: cellFields, byID: false, withheld: &counts.cells)
        counts.values = tally
        return (routes, cells, counts)
    }
}

/// The suppression of one score run's layers, decided once over every route and written cell,
/// then applied to each row as it is made (the writers make rows in batches, on several threads).
struct ScoreSharing {
    let rule: SmallCountSuppression
    let routeFields: [FieldDefinition]
    let cellFields: [FieldDefinition]
    let withheldRoutes: Set<Int>
    let withheldCells: Set<Int>
    let counts: SuppressionCounts

    /// `cells`: the cells written, in order (`FeatureWriter.cellsToWrite`).
    init(rule: SmallCountSuppression, result: ScoreResult, cells: [CellScore]) {
        self.rule = rule
        routeFields = FeatureWriter.routeFields(result)
        cellFields = FeatureWriter.cellFields(result)
        // Routes tie by id, as RouteScoring decides which explanations to word as withheld.
        withheldRoutes = SharedFeatures.rowsToWithhold(rule, counts: result.routes.map(\.events), keys: result.routes.map(\.id))
        withheldCells = SharedFeatures.rowsToWithhold(rule, counts: cells.map(\.events))
        var counts = SuppressionCounts()
        counts.routes = withheldRoutes.count
        counts.cells = withheldCells.count
        var tally = 0
        for i in withheldRoutes {
            _ = SharedFeatures.apply(rule, fields: routeFields, values: FeatureWriter.routeValues(result.routes[i], result: result),
                                     force: true, tally: &tally)
        }
        for i in withheldCells {
            _ = SharedFeatures.apply(rule, fields: cellFields, values: FeatureWriter.cellValues(cells[i], result: result),
                                     force: true, tally: &tally)
        }
        counts.values = tally
        self.counts = counts
    }

    func route(_ index: Int, _ values: [FieldValue]) -> [FieldValue] {
        guard withheldRoutes.contains(index) else { return values }
        var tally = 0
        return SharedFeatures.apply(rule, fields: routeFields, values: values, force: true, tally: &tally).values
    }

    func cell(_ index: Int, _ values: [FieldValue]) -> [FieldValue] {
        guard withheldCells.contains(index) else { return values }
        var tally = 0
        return SharedFeatures.apply(rule, fields: cellFields, values: values, force: true, tally: &tally).values
    }
}
