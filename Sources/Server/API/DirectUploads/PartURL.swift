/// One pre-signed URL of a direct upload as the API answers it: the part it sends, where to `PUT` it, and the headers
/// the client must send with exactly these values (they are signed into the URL; `Content-Length`, which every HTTP
/// client sets itself, is signed too and not listed).
struct PartURL: Encodable, Sendable, Equatable {
    let partNumber: Int
    let url: String
    let headers: [String: String]
}

/// One part that storage already holds, as `GET uploads/{uploadId}` reports it for resuming.
struct ReceivedPart: Encodable, Sendable, Equatable {
    let partNumber: Int
    let etag: String
    let size: Int64
}
