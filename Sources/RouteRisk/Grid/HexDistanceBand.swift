extension StudyArea {
    /// The binary distance-band weights of MODEL §6 among the study-area cells, by grid arithmetic: the axial
    /// offsets within the band (`HexGrid.offsets(withinDistance:)`, self included) added to each cell and looked up
    /// in the flat cell index, written straight into compressed rows. The offsets come in (dq, dr) order and the
    /// cells in (q, r) order, so each row is already ascending. Two parallel passes (count, then fill in place), so
    /// no second copy of the neighbour array is ever held.
    func distanceBandWeights(band: Double) -> SpatialWeights {
        let offsets = grid.offsets(withinDistance: band)
        precondition(offsets == offsets.sorted(), "offsets in (dq, dr) order")
        let n = cells.count
        let chunkSize = 8192
        var rowStart = [Int](repeating: 0, count: n + 1)
        cells.withUnsafeBufferPointer { cellBuffer in
            rowStart.withUnsafeMutableBufferPointer { counts in
                parallelForEachChunk(count: n, chunkSize: chunkSize) { _, range in
                    for j in range {
                        let cell = cellBuffer[j]
                        var count = 0
                        for o in offsets where index.index(of: HexCoordinate(q: cell.q + o.q, r: cell.r + o.r)) != nil {
                            count += 1
                        }
                        counts[j + 1] = count
                    }
                }
            }
        }
        for j in 0..<n { rowStart[j + 1] += rowStart[j] }
        let neighbours = [Int](unsafeUninitializedCapacity: rowStart[n]) { buffer, initialized in
            let base = buffer.baseAddress
            cells.withUnsafeBufferPointer { cellBuffer in
                rowStart.withUnsafeBufferPointer { starts in
                    parallelForEachChunk(count: n, chunkSize: chunkSize) { _, range in
                        guard let base else { return }
                        for j in range {
                            let cell = cellBuffer[j]
                            var slot = starts[j]
                            for o in offsets {
                                if let k = index.index(of: HexCoordinate(q: cell.q + o.q, r: cell.r + o.r)) {
                                    (base + slot).initialize(to: k)
                                    slot += 1
                                }
                            }
                        }
                    }
                }
            }
            initialized = rowStart[n]
        }
        return SpatialWeights(offsets: rowStart, neighbours: neighbours)
    }
}
