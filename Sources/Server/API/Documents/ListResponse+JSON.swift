/// The list page is the hottest JSON body of the API (100 documents per request), so it is written by hand;
/// see ``JSONWriter`` for why and for how it stays identical to the `Encodable` form.
extension ListResponse: JSONWritable {
    /// A document is about 500 bytes of JSON; more when its names are long.
    var estimatedJSONSize: Int { 128 + files.count * 640 }

    func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("files")
        writer.beginArray()
        for file in files {
            file.writeJSON(to: &writer)
        }
        writer.endArray()
        writer.key("isTruncated")
        writer.bool(isTruncated)
        writer.key("nextContinuationToken")
        writer.string(nextContinuationToken)
        writer.endObject()
    }
}

extension DocumentResponse {
    /// The members in the order `.sortedKeys` gives them.
    func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("category")
        writer.string(category)
        writer.key("contentType")
        writer.string(contentType)
        writer.key("entityId")
        writer.string(entityId)
        writer.key("entityType")
        writer.string(entityType)
        writer.key("fileName")
        writer.string(fileName)
        writer.key("id")
        writer.string(id)
        writer.key("key")
        writer.string(key)
        if let legalHold {
            writer.key("legalHold")
            legalHold.writeJSON(to: &writer)
        }
        writer.key("ref")
        writer.string(ref)
        writer.key("sha256")
        writer.string(sha256)
        writer.key("size")
        writer.integer(size)
        writer.key("status")
        writer.string(status)
        writer.key("uploadedAt")
        writer.string(uploadedAt)
        writer.key("url")
        writer.string(url)
        writer.endObject()
    }
}
