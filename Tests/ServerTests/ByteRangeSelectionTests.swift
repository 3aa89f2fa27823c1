import Testing

@testable import Server

@Suite struct ByteRangeSelectionTests {
    @Test(arguments: [
        ("bytes=0-0", ByteRangeSelection.partial(0...0)),
        ("bytes=0-99", .partial(0...99)),
        ("bytes=10-", .partial(10...99)),
        ("bytes=90-500", .partial(90...99)),
        ("bytes=-10", .partial(90...99)),
        ("bytes=-500", .partial(0...99)),
        ("bytes=100-", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=5-2", .full),
        ("bytes=0-1,5-6", .full),
        ("items=0-1", .full),
        ("bytes=a-b", .full),
        ("bytes=--1", .full),
    ])
    func selection(header: String, expected: ByteRangeSelection) {
        #expect(ByteRangeSelection(header: header, size: 100) == expected)
    }

    @Test func noHeaderMeansFull() {
        #expect(ByteRangeSelection(header: nil, size: 100) == .full)
    }

    @Test func anyRangeOfAnEmptyRepresentationIsUnsatisfiable() {
        #expect(ByteRangeSelection(header: "bytes=-5", size: 0) == .unsatisfiable)
        #expect(ByteRangeSelection(header: "bytes=0-", size: 0) == .unsatisfiable)
    }
}
