import Documents
import Logging
import ObjectStorage
import Persistence

extension ObjectStore {
    /// Erases every place `record`'s bytes may be stored, for good: its key and its other place (the archived key of an
    /// active document, the original key of an archived one), where a versioned bucket keeps the versions an archive
    /// or restore left behind, and its variants (``DerivedKey/folder(of:)``). Shared by the permanent delete and the
    /// lifecycle's erase; the entity erasure erases the variants of each of the entity's documents the same way.
    func erase(document record: DocumentRecord, logger: Logger) async throws(StorageError) -> ErasedObjects {
        var erased = try await erase(key: record.key, logger: logger)
        if let other = record.otherPlace { erased += try await erase(key: other, logger: logger) }
        erased += try await erase(prefix: DerivedKey.folder(of: record.id), logger: logger)
        return erased
    }
}

extension DocumentRecord {
    /// The key this document's object had (archived) or would have (active) on the other side of an archive.
    var otherPlace: String? {
        if let originalKey { return originalKey }
        guard let key = try? DocumentKey(parsing: key), case .entity = key.location else { return nil }
        return KeyLayout.archivedKey(for: key).rawValue
    }
}
