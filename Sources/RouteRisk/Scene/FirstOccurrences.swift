/// For each id, the index of the first earlier one equal to it by code points (UTF-8 bytes, as `CodePointKey`
/// compares), −1 for the first of each (and for nil). The ids are hashed on every core (FNV-1a over their UTF-8),
/// then claimed in order in one open-addressing table of indices (linear probing): the same answer as a
/// `Dictionary<CodePointKey, Int>` filled in order, without a String hash and comparison per lookup.
func firstOccurrences(_ ids: [String?]) -> [Int] {
    let n = ids.count
    var first = [Int](repeating: -1, count: n)
    guard n > 0 else { return first }
    var hashes = [UInt64](repeating: 0, count: n)
    hashes.withUnsafeMutableBufferPointer { out in
        let out = out.baseAddress!
        parallelForEachChunk(count: n, chunkSize: 16_384) { _, range in
            for i in range {
                guard var id = ids[i] else { continue }
                out[i] = id.withUTF8 { bytes in
                    var h: UInt64 = 0xcbf2_9ce4_8422_2325
                    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
                    return h
                }
            }
        }
    }
    var capacity = 16
    while capacity < 2 * n { capacity <<= 1 }
    let mask = UInt64(capacity - 1)
    var table = [Int32](repeating: -1, count: capacity)
    for i in 0..<n {
        guard let id = ids[i] else { continue }
        let h = hashes[i]
        var slot = Int(h & mask)
        while true {
            let q = Int(table[slot])
            if q < 0 {
                table[slot] = Int32(i)
                break
            }
            if hashes[q] == h && ids[q]!.utf8.elementsEqual(id.utf8) {
                first[i] = q
                break
            }
            slot = (slot + 1) & Int(mask)
        }
    }
    return first
}
