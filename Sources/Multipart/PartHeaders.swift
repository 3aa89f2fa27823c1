/// The header block of one part of a multipart/form-data body (RFC 7578 §4.2, §4.4).
///
/// `name` and `fileName` come from the mandatory `Content-Disposition: form-data` header, so the upload handler can
/// route a part without re-parsing anything; all raw header fields are kept too, in order.
package struct PartHeaders: Sendable, Hashable {
    /// One raw header line of a part, as sent (name case preserved, value without surrounding whitespace).
    package struct Field: Sendable, Hashable {
        /// The header name as sent; compare it case-insensitively (RFC 9110 §5.1).
        package var name: String
        /// The header value with leading and trailing whitespace removed and folded lines joined by a space.
        package var value: String

        /// Creates a header field; used by tests and by callers that build headers by hand.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The form field name: the `name` parameter of `Content-Disposition` (required by RFC 7578 §4.2).
    package var name: String
    /// The file name the client sent: RFC 5987 `filename*` if present, else `filename`; nil for plain fields.
    /// An empty string means a file input that was left empty. It is user input: sanitise before any use.
    package var fileName: String?
    /// The part's `Content-Type` value as sent (RFC 7578 §4.4), nil when absent (meaning `text/plain`).
    package var contentType: String?
    /// Every header field of the part, in the order sent.
    package var fields: [Field]

    /// Creates part headers; the parser builds them, tests compare against them.
    package init(name: String, fileName: String? = nil, contentType: String? = nil, fields: [Field] = []) {
        self.name = name
        self.fileName = fileName
        self.contentType = contentType
        self.fields = fields
    }

    /// The value of the first header named `name`, compared case-insensitively, as header names are (RFC 9110 §5.1).
    package func value(for name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }
}
