/// Reads one side of the merge and checks that its keys strictly increase in UTF-8 byte order.
struct OrderedCursor<Iterator: AsyncIteratorProtocol> where Iterator.Element: Sendable {
    private var iterator: Iterator
    private let side: ReconcileOrderError.Side
    private let key: (Iterator.Element) -> String
    private var lastKey: String?

    init(_ iterator: Iterator, side: ReconcileOrderError.Side, key: @escaping (Iterator.Element) -> String) {
        self.iterator = iterator
        self.side = side
        self.key = key
    }

    /// The next element; throws ``ReconcileOrderError`` if its key does not sort after the previous one.
    mutating func next() async throws -> Iterator.Element? {
        guard let element = try await iterator.next() else { return nil }
        let current = key(element)
        if let lastKey, !ByteOrder.precedes(lastKey, current) { throw ReconcileOrderError(side: side) }
        lastKey = current
        return element
    }
}
