import NIOCore

/// A streaming multipart/form-data parser (RFC 7578, body syntax of RFC 2046 §5.1.1) that hands out body bytes as
/// zero-copy slices of the chunks it is fed.
///
/// medvault streams uploads of up to 50 MB straight to storage, so the parser is a pure state machine with no I/O:
/// the handler feeds each request-body chunk to ``parse(_:)``, writes the returned ``MultipartEvent/body(_:)`` slices
/// (awaiting as it likes between calls), and calls ``finish()`` at the end. Delimiters are found with `memchr` and
/// `memcmp` over contiguous bytes, never byte by byte in Swift.
///
/// Memory stays flat whatever the part size: between calls the parser keeps at most one part's header block
/// (``MultipartLimits/maxHeaderBytes``) or the few bytes at a chunk's end that may begin a delimiter (fewer than
/// `boundary.count + 4`), always copied so that no caller chunk is kept alive. A body event is a slice of the chunk
/// passed to the same call, except when such retained bytes turn out to be body after all: they are returned as one
/// event of fewer than `boundary.count + 4` bytes. The preamble and the epilogue are skipped, up to their limits.
package struct MultipartParser: Sendable {
    private enum State: Sendable, Equatable {
        /// Skipping the preamble, looking for the first delimiter.
        case preamble
        /// Inside a part's body, looking for the next delimiter.
        case body
        /// Just read a delimiter: `--` (close), transport padding or CRLF comes next.
        case afterDelimiter
        /// Read one `-` after the delimiter; the second makes it the close delimiter.
        case closingDash
        /// Skipping transport padding (spaces and tabs, RFC 2046 §5.1.1) before the CRLF.
        case padding
        /// Read the CR ending the boundary line; LF comes next.
        case lineFeed
        /// Collecting a part's header block.
        case headers
        /// After the close delimiter: everything is ignored, up to ``MultipartLimits/maxEpilogueBytes``.
        case epilogue
    }

    private static let headerTerminator: [UInt8] = [.carriageReturn, .lineFeed, .carriageReturn, .lineFeed]

    private let limits: MultipartLimits
    /// `CRLF--boundary`: the delimiter that ends a body (RFC 2046 §5.1.1).
    private let delimiter: [UInt8]
    private var state = State.preamble
    /// Bytes at the end of the input so far that are a proper prefix of `delimiter` and may be completed by the next
    /// chunk. It starts as CRLF so that a body opening with `--boundary` is matched like any other delimiter.
    private var tail: ByteBuffer
    /// The current part's header block as read so far.
    private var headerBuffer: ByteBuffer
    private var partCount = 0
    /// Input bytes consumed before the end of the first delimiter: the preamble plus that delimiter.
    private var preambleInput = 0
    /// Bytes skipped after the close delimiter.
    private var epilogueBytes = 0
    private var currentPartIsField = false
    private var currentBodyBytes = 0
    /// Set by the first error; every later call throws it again.
    private var failure: MultipartError?

    /// Creates a parser for one request body.
    ///
    /// `boundary` is the value returned by ``boundary(fromContentType:)``. An invalid boundary does not trap: the
    /// first ``parse(_:)`` throws `malformed_multipart`.
    package init(boundary: String, limits: MultipartLimits = .standard) {
        self.limits = limits
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        let allocator = ByteBufferAllocator()
        self.tail = allocator.buffer(capacity: delimiter.count)
        self.tail.writeBytes([UInt8.carriageReturn, .lineFeed])
        self.headerBuffer = allocator.buffer(capacity: 0)
        if !Self.isValidBoundary(boundary) {
            self.failure = .malformed("the multipart boundary is invalid")
        }
    }

    /// How many bytes the parser holds between calls (retained delimiter prefix plus partial header block), so
    /// tests can prove that memory stays flat.
    var bufferedByteCount: Int { tail.readableBytes + headerBuffer.readableBytes }

    /// Feeds the next chunk of the body; returns the events it completes, in order.
    ///
    /// Chunks may be split anywhere (inside a delimiter, a header line, a CRLF): the events' concatenated body bytes
    /// are the same for any split. After an error the parser is spent and rethrows that error on every call.
    package mutating func parse(_ chunk: ByteBuffer) throws(MultipartError) -> [MultipartEvent] {
        if let failure { throw failure }
        var input = chunk
        var events: [MultipartEvent] = []
        do throws(MultipartError) {
            while input.readableBytes > 0 {
                switch state {
                case .preamble: try skipPreamble(&input, events: &events)
                case .body: try scanForDelimiter(&input, events: &events)
                case .afterDelimiter, .closingDash, .padding, .lineFeed: try readBoundaryLineEnd(&input)
                case .headers: try readHeaders(&input, events: &events)
                case .epilogue: try skipEpilogue(&input)
                }
            }
        } catch {
            failure = error
            throw error
        }
        return events
    }

    /// Call at end of input; throws `malformed_multipart` if the close delimiter was never seen, since a truncated
    /// body must not be stored as if it were complete.
    package mutating func finish() throws(MultipartError) {
        if let failure { throw failure }
        guard state == .epilogue else {
            let error = MultipartError.malformed(
                state == .preamble ? "the body contains no multipart boundary" : "the body ended before the closing boundary"
            )
            failure = error
            throw error
        }
    }

    // MARK: - Preamble and epilogue

    /// Looks for the first delimiter, counting what it consumes. The count includes the delimiter's own bytes (all
    /// of `CRLF--boundary` after a preamble, `--boundary` without one), so the preamble proper is within its limit
    /// exactly when the count stays within the limit plus the delimiter's length.
    private mutating func skipPreamble(_ input: inout ByteBuffer, events: inout [MultipartEvent]) throws(MultipartError) {
        let start = input.readerIndex
        try scanForDelimiter(&input, events: &events)
        preambleInput += input.readerIndex - start
        guard preambleInput <= limits.maxPreambleBytes + delimiter.count else {
            throw .malformed("the preamble before the first boundary exceeds \(limits.maxPreambleBytes) bytes")
        }
    }

    /// Drops what follows the close delimiter, up to ``MultipartLimits/maxEpilogueBytes``.
    private mutating func skipEpilogue(_ input: inout ByteBuffer) throws(MultipartError) {
        epilogueBytes += input.readableBytes
        input.moveReaderIndex(to: input.writerIndex)
        guard epilogueBytes <= limits.maxEpilogueBytes else {
            throw .malformed("the epilogue after the closing boundary exceeds \(limits.maxEpilogueBytes) bytes")
        }
    }

    // MARK: - Body and preamble

    private mutating func scanForDelimiter(_ input: inout ByteBuffer, events: inout [MultipartEvent]) throws(MultipartError) {
        if tail.readableBytes > 0 {
            let matched = tail.readableBytes
            let wanted = delimiter.count - matched
            let compared = min(wanted, input.readableBytes)
            let continues = input.withUnsafeReadableBytes { bytes in
                delimiter.withUnsafeBytes { delimiterBytes in
                    ByteSearch.equal(
                        UnsafeRawBufferPointer(rebasing: bytes[0..<compared]),
                        UnsafeRawBufferPointer(rebasing: delimiterBytes[matched..<(matched + compared)])
                    )
                }
            }
            if continues {
                if compared == wanted {
                    input.moveReaderIndex(forwardBy: wanted)
                    tail.clear()
                    delimiterFound(events: &events)
                } else {
                    tail.writeImmutableBuffer(input)
                    input.moveReaderIndex(to: input.writerIndex)
                }
                return
            }
            // A delimiter can only start at a CR, and the tail holds one CR, at its start: none of it is a delimiter.
            // Emitting the tail itself is safe: `clear()` below gives `tail` fresh storage (copy on write).
            if state == .body { try emitBody(tail, events: &events) }
            tail.clear()
        }

        let result = input.withUnsafeReadableBytes { bytes in
            delimiter.withUnsafeBytes { ByteSearch.find($0, in: bytes) }
        }
        switch result {
        case .match(let position):
            try consumeBody(&input, count: position, events: &events)
            input.moveReaderIndex(forwardBy: delimiter.count)
            delimiterFound(events: &events)
        case .partial(let position):
            try consumeBody(&input, count: position, events: &events)
            tail.writeImmutableBuffer(input)
            input.moveReaderIndex(to: input.writerIndex)
        case .none:
            try consumeBody(&input, count: input.readableBytes, events: &events)
        }
    }

    /// Moves `count` bytes of `input` out as a body event (in a part) or drops them (preamble).
    private mutating func consumeBody(_ input: inout ByteBuffer, count: Int, events: inout [MultipartEvent]) throws(MultipartError) {
        guard count > 0, let slice = input.readSlice(length: count) else { return }
        if state == .body { try emitBody(slice, events: &events) }
    }

    private mutating func emitBody(_ bytes: ByteBuffer, events: inout [MultipartEvent]) throws(MultipartError) {
        currentBodyBytes += bytes.readableBytes
        if currentPartIsField, currentBodyBytes > limits.maxFieldBytes {
            throw .limitExceeded("the value of form field \(partCount) exceeds \(limits.maxFieldBytes) bytes")
        }
        events.append(.body(bytes))
    }

    private mutating func delimiterFound(events: inout [MultipartEvent]) {
        if state == .body { events.append(.partEnd) }
        state = .afterDelimiter
    }

    // MARK: - Boundary line

    /// Reads what follows `CRLF--boundary`: `--` ends the body; otherwise optional transport padding and CRLF.
    private mutating func readBoundaryLineEnd(_ input: inout ByteBuffer) throws(MultipartError) {
        while let byte = input.readInteger(as: UInt8.self) {
            switch (state, byte) {
            case (.afterDelimiter, .dash):
                state = .closingDash
            case (.closingDash, .dash):
                state = .epilogue
                return
            case (.afterDelimiter, .space), (.afterDelimiter, .tab), (.padding, .space), (.padding, .tab):
                state = .padding
            case (.afterDelimiter, .carriageReturn), (.padding, .carriageReturn):
                state = .lineFeed
            case (.lineFeed, .lineFeed):
                try startPart()
                return
            default:
                throw .malformed("a multipart boundary is not followed by a line break")
            }
        }
    }

    private mutating func startPart() throws(MultipartError) {
        guard partCount < limits.maxParts else {
            throw .limitExceeded("the form has more than \(limits.maxParts) parts")
        }
        partCount += 1
        headerBuffer.clear()
        state = .headers
    }

    // MARK: - Part headers

    /// Copies header bytes (at most `maxHeaderBytes` in all) until the blank line, then parses the block.
    private mutating func readHeaders(_ input: inout ByteBuffer, events: inout [MultipartEvent]) throws(MultipartError) {
        let alreadyBuffered = headerBuffer.readableBytes
        let room = limits.maxHeaderBytes - alreadyBuffered
        guard room > 0 else {
            throw .limitExceeded("the headers of part \(partCount) exceed \(limits.maxHeaderBytes) bytes")
        }
        let taken = min(room, input.readableBytes)
        guard let slice = input.getSlice(at: input.readerIndex, length: taken) else { return }
        headerBuffer.writeImmutableBuffer(slice)
        guard let blockLength = headerBlockLength(searchingFrom: max(0, alreadyBuffered - 3)) else {
            input.moveReaderIndex(forwardBy: taken)
            return
        }
        // Give back what was copied past the blank line: it is body.
        input.moveReaderIndex(forwardBy: blockLength - alreadyBuffered)
        let lines = headerBuffer.getBytes(at: headerBuffer.readerIndex, length: blockLength - 2) ?? []
        headerBuffer.clear()
        let headers = try PartHeaders.parse(block: lines, partNumber: partCount)
        currentPartIsField = headers.fileName == nil
        currentBodyBytes = 0
        events.append(.partBegin(headers))
        state = .body
    }

    /// The length of the complete header block in `headerBuffer`, blank line included, or nil if it is not complete.
    private func headerBlockLength(searchingFrom start: Int) -> Int? {
        headerBuffer.withUnsafeReadableBytes { bytes in
            if bytes.count >= 2, bytes[0] == .carriageReturn, bytes[1] == .lineFeed { return 2 }
            let result = Self.headerTerminator.withUnsafeBytes { ByteSearch.find($0, in: UnsafeRawBufferPointer(rebasing: bytes[start...])) }
            guard case .match(let position) = result else { return nil }
            return start + position + Self.headerTerminator.count
        }
    }
}
