import Foundation

/// The cells of `CorridorIndex`'s grid that one route segment is registered in: every cell overlapped by the
/// box, padded by `pad`, of one of the segment's ⌈length/cell⌉ equal pieces.
///
/// Listed row by row without a sort: the pieces' row ranges and column ranges move monotonically along the
/// segment (every coordinate is affine in the piece's t, and rounding is monotone), and consecutive pieces share
/// an end point (the same expression at the same t), so their ranges overlap. In each row the pieces that reach
/// it are therefore consecutive, and the union of their column ranges is one span; the cells come out
/// ascending, each once. `CorridorIndexTests` checks the lists against registering piece by piece.
struct SegmentCells {
    let originX: Double, originY: Double, cell: Double
    let columns: Int, rows: Int
    let pad: Double

    /// Scratch: the column span of each row of one segment (reused between segments).
    struct Spans {
        var lo: [Int] = [], hi: [Int] = []
    }

    /// The column and row ranges (clamped to the grid) of piece k of `pieces` of segment (x0, y0)–(x1, y1).
    @inline(__always)
    func pieceBox(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ k: Int, _ pieces: Int)
        -> (c0: Int, c1: Int, r0: Int, r1: Int)
    {
        let t0 = Double(k) / Double(pieces), t1 = Double(k + 1) / Double(pieces)
        let px0 = x0 + (x1 - x0) * t0, px1 = x0 + (x1 - x0) * t1
        let py0 = y0 + (y1 - y0) * t0, py1 = y0 + (y1 - y0) * t1
        let c0 = Swift.max(0, Int(((Swift.min(px0, px1) - pad - originX) / cell).rounded(.down)))
        let c1 = Swift.min(columns - 1, Int(((Swift.max(px0, px1) + pad - originX) / cell).rounded(.down)))
        let r0 = Swift.max(0, Int(((Swift.min(py0, py1) - pad - originY) / cell).rounded(.down)))
        let r1 = Swift.min(rows - 1, Int(((Swift.max(py0, py1) + pad - originY) / cell).rounded(.down)))
        return (c0, c1, r0, r1)
    }

    @inline(__always)
    func pieceCount(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Int {
        let length = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
        return Swift.max(1, Int((length / cell).rounded(.up)))
    }

    /// `body(cell)` for each cell of the segment, ascending (row-major), each once.
    @inline(__always)
    func forEachCell(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ spans: inout Spans,
                     _ body: (Int) -> Void) {
        let pieces = pieceCount(x0, y0, x1, y1)
        // The rows of the first and last pieces bound every piece's rows (monotone along the segment).
        let first = pieceBox(x0, y0, x1, y1, 0, pieces), last = pieceBox(x0, y0, x1, y1, pieces - 1, pieces)
        let rowLo = Swift.max(0, Swift.min(first.r0, last.r0)), rowHi = Swift.min(rows - 1, Swift.max(first.r1, last.r1))
        guard rowLo <= rowHi else { return }
        let n = rowHi - rowLo + 1
        if spans.lo.count < n {
            spans.lo = [Int](repeating: 0, count: n)
            spans.hi = [Int](repeating: 0, count: n)
        }
        spans.lo.withUnsafeMutableBufferPointer { lo in
            spans.hi.withUnsafeMutableBufferPointer { hi in
                for i in 0..<n {
                    lo[i] = Int.max
                    hi[i] = Int.min
                }
                for k in 0..<pieces {
                    let box = pieceBox(x0, y0, x1, y1, k, pieces)
                    // A piece that misses the grid adds nothing (the grid covers every route padded by b).
                    guard box.c0 <= box.c1, box.r0 <= box.r1 else { continue }
                    for row in box.r0...box.r1 {
                        lo[row - rowLo] = Swift.min(lo[row - rowLo], box.c0)
                        hi[row - rowLo] = Swift.max(hi[row - rowLo], box.c1)
                    }
                }
                for i in 0..<n where lo[i] <= hi[i] {
                    let rowStart = (rowLo + i) * columns
                    for column in lo[i]...hi[i] {
                        body(rowStart + column)
                    }
                }
            }
        }
    }
}
