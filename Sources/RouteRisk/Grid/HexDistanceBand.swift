extension StudyArea {
    /// The binary distance-band weights of MODEL §6 among the study-area cells, by grid arithmetic: the axial
    /// offsets within the band (`HexGrid.offsets(withinDistance:)`, self included) added to each cell and looked up
    /// in the flat cell index, written straight into compressed rows. The offsets come in (dq, dr) order and the
    /// cells in (q, r) order, so each row is already ascending. Rows are filled in parallel chunks (count, then fill).
    func distanceBandWeights(band: Double) -> SpatialWeights {
        let offsets = grid.offsets(withinDistance: band)
        precondition(offsets == offsets.sorted(), "offsets in (dq, dr) order")
        let n = cells.count
        let chunkSize = 4096
        let chunks = (n + chunkSize - 1) / chunkSize
        var rowCount = [Int](repeating: 0, count: n + 1)
        var chunkLists = [[Int]](repeating: [], count: chunks)
        cells.withUnsafeBufferPointer { cellBuffer in
            rowCount.withUnsafeMutableBufferPointer { counts in
                chunkLists.withUnsafeMutableBufferPointer { lists in
                    parallelForEachChunk(count: n, chunkSize: chunkSize) { chunk, range in
                        var list: [Int] = []
                        list.reserveCapacity(range.count * offsets.count)
                        for j in range {
                            let cell = cellBuffer[j]
                            let before = list.count
                            for o in offsets {
                                if let k = index.index(of: HexCoordinate(q: cell.q + o.q, r: cell.r + o.r)) {
                                    list.append(k)
                                }
                            }
                            counts[j + 1] = list.count - before
                        }
                        lists[chunk] = list
                    }
                }
            }
        }
        for j in 0..<n { rowCount[j + 1] += rowCount[j] }
        var neighbours: [Int] = []
        neighbours.reserveCapacity(rowCount[n])
        for list in chunkLists { neighbours += list }
        return SpatialWeights(offsets: rowCount, neighbours: neighbours)
    }
}
