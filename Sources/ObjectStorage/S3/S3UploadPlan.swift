/// The decisions of a streaming S3 upload, without I/O: how incoming bytes fill the part buffer, when a full part
/// goes out, and whether the object ends as one PutObject or a multipart upload ("Uploading and copying objects using
/// multipart upload", S3 docs). ``S3ObjectWriter`` carries the steps out.
///
/// The buffer never holds more than one part. A full part is sent only once a further byte has arrived, so an object
/// of exactly one part size still goes up as a single PutObject, and the last part of a multipart upload is never
/// empty.
struct S3UploadPlan: Sendable, Equatable {
    /// What the writer must do with the next bytes of a chunk, in order.
    enum Step: Sendable, Equatable {
        /// Copy this many bytes from the chunk into the part buffer.
        case buffer(Int)
        /// Send the full buffer as part `number` (1-based), starting the multipart upload first if `number` is 1,
        /// then empty the buffer.
        case sendPart(number: Int)
    }

    /// How the upload ends at `finish`.
    enum Ending: Sendable, Equatable {
        /// No part was sent: the buffer holds the whole object; send it with PutObject.
        case putObject(size: Int)
        /// Parts were sent: send the buffer as part `lastPart`, then CompleteMultipartUpload.
        case completeMultipart(lastPart: Int, lastPartSize: Int)
    }

    /// Bytes per part, and the buffer's capacity.
    let partSize: Int
    /// Bytes in the buffer now.
    private(set) var buffered = 0
    /// Parts sent so far.
    private(set) var partsSent = 0
    /// Every byte accepted so far: the object's size.
    private(set) var totalBytes: Int64 = 0

    /// A plan for parts of `partSize` bytes (positive).
    init(partSize: Int) {
        self.partSize = max(1, partSize)
    }

    /// Accepts the next `count` bytes of the object and returns the steps that place them.
    mutating func accept(_ count: Int) -> [Step] {
        var steps: [Step] = []
        var remaining = max(0, count)
        while remaining > 0 {
            if self.buffered == self.partSize {
                self.partsSent += 1
                steps.append(.sendPart(number: self.partsSent))
                self.buffered = 0
            }
            let taken = min(self.partSize - self.buffered, remaining)
            steps.append(.buffer(taken))
            self.buffered += taken
            self.totalBytes += Int64(taken)
            remaining -= taken
        }
        return steps
    }

    /// How the upload ends with what is buffered now.
    var ending: Ending {
        self.partsSent == 0
            ? .putObject(size: self.buffered)
            : .completeMultipart(lastPart: self.partsSent + 1, lastPartSize: self.buffered)
    }
}
