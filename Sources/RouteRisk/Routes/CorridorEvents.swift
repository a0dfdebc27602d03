/// One route's corridor events, ascending: its pieces of `CorridorIndex.eventsWithin`'s blocks, one after the other
/// (each a slice of its block's array: the blocks are not copied into one array, which at 1 M events wrote 656 MB
/// into fresh pages once more).
struct CorridorEvents: Sequence, Equatable, ExpressibleByArrayLiteral, Sendable {
    /// Non-empty, each ascending, every event of one above every event of the one before.
    private(set) var pieces: [ArraySlice<Int32>]

    init(pieces: [ArraySlice<Int32>]) {
        self.pieces = pieces.filter { !$0.isEmpty }
    }

    init(arrayLiteral elements: Int32...) {
        self.init(pieces: [elements[...]])
    }

    var count: Int { pieces.reduce(0) { $0 + $1.count } }
    var isEmpty: Bool { pieces.isEmpty }

    func makeIterator() -> FlattenSequence<[ArraySlice<Int32>]>.Iterator { pieces.joined().makeIterator() }

    /// The same events, however they are cut into pieces.
    static func == (a: CorridorEvents, b: CorridorEvents) -> Bool { a.elementsEqual(b) }
}
