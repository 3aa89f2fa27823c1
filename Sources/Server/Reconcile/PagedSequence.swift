/// Elements fetched a page at a time and read one by one, holding a single page: the store's listing and the
/// index's keys reach ``Documents/ReconcileMerge`` this way, so memory stays flat whatever their length.
struct PagedSequence<Element: Sendable>: AsyncSequence {
    typealias Failure = any Error
    /// A fetched page and the cursor of the page after it (nil when it is the last).
    typealias Page = (elements: [Element], next: String?)

    /// Fetches the page at `cursor` (nil: the first page).
    let fetch: @Sendable (String?) async throws -> Page

    struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: @Sendable (String?) async throws -> Page
        var buffered: IndexingIterator<[Element]> = [Element]().makeIterator()
        var cursor: String?
        var exhausted = false

        mutating func next() async throws -> Element? {
            while true {
                if let element = buffered.next() { return element }
                if exhausted { return nil }
                let page = try await fetch(cursor)
                buffered = page.elements.makeIterator()
                cursor = page.next
                exhausted = page.next == nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(fetch: fetch) }
}
