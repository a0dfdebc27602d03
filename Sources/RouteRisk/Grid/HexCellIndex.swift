/// Positions of a sorted set of hex cells by arithmetic: the cells of one column q are contiguous in (q, r) order,
/// so a cell is found from its column's first position and its r — through a flat table of the column's r span
/// when the spans are compact (every study area of a real scene), else by binary search within the column.
/// No hashing, so the Gi* weights and the cell of every event cost a few array reads each.
struct HexCellIndex: Sendable {
    /// First column.
    private let qMin: Int
    /// Per column (q − qMin): position in the cells of its first cell; one more entry at the end.
    private let columnStart: [Int]
    /// Per column: the smallest r, and where its span starts in `table` (dense layout only).
    private let columnRMin: [Int]
    private let tableStart: [Int]
    /// Position (or −1) per (column, r − rMin), when dense.
    private let table: [Int32]
    /// r of every cell, for the binary search (sparse layout only).
    private let rs: [Int]
    private let dense: Bool

    init(sortedCells cells: [HexCoordinate]) {
        guard let first = cells.first, let last = cells.last else {
            qMin = 0; columnStart = [0]; columnRMin = []; tableStart = []; table = []; rs = []; dense = true
            return
        }
        qMin = first.q
        let columns = last.q - first.q + 1
        var columnStart = [Int](repeating: 0, count: columns + 1)
        var columnRMin = [Int](repeating: 0, count: columns)
        var columnRMax = [Int](repeating: Int.min, count: columns)
        for c in cells { columnStart[c.q - first.q + 1] += 1 }
        for k in 0..<columns { columnStart[k + 1] += columnStart[k] }
        var span = 0
        for k in 0..<columns where columnStart[k + 1] > columnStart[k] {
            columnRMin[k] = cells[columnStart[k]].r
            columnRMax[k] = cells[columnStart[k + 1] - 1].r
            span += columnRMax[k] - columnRMin[k] + 1
        }
        self.columnStart = columnStart
        self.columnRMin = columnRMin
        // Dense when the table is at most a few times the cells (4 bytes per entry).
        dense = cells.count < Int(Int32.max) && span <= 4 * cells.count + (1 << 22)
        if dense {
            var tableStart = [Int](repeating: 0, count: columns + 1)
            for k in 0..<columns {
                let width = columnStart[k + 1] > columnStart[k] ? columnRMax[k] - columnRMin[k] + 1 : 0
                tableStart[k + 1] = tableStart[k] + width
            }
            var table = [Int32](repeating: -1, count: tableStart[columns])
            for k in 0..<columns {
                for i in columnStart[k]..<columnStart[k + 1] {
                    table[tableStart[k] + cells[i].r - columnRMin[k]] = Int32(i)
                }
            }
            self.tableStart = tableStart
            self.table = table
            rs = []
        } else {
            tableStart = []
            table = []
            rs = cells.map(\.r)
        }
    }

    /// The position of `c` among the cells, or nil.
    @inline(__always)
    func index(of c: HexCoordinate) -> Int? {
        let (k, overflow) = c.q.subtractingReportingOverflow(qMin)
        guard !overflow, k >= 0, k < columnRMin.count else { return nil }
        let lo = columnStart[k], hi = columnStart[k + 1]
        guard hi > lo else { return nil }
        if dense {
            let (offset, o2) = c.r.subtractingReportingOverflow(columnRMin[k])
            guard !o2, offset >= 0, offset < tableStart[k + 1] - tableStart[k] else { return nil }
            let i = table[tableStart[k] + offset]
            return i >= 0 ? Int(i) : nil
        }
        var a = lo, b = hi
        while a < b {
            let m = (a + b) / 2
            if rs[m] < c.r { a = m + 1 } else { b = m }
        }
        return a < hi && rs[a] == c.r ? a : nil
    }
}
