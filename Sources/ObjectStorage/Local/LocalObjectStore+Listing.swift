import Foundation
import Logging

extension LocalObjectStore {
    /// The most keys one page returns, as S3's ListObjectsV2.
    static let maxKeysPerPage = 1000

    /// Walks `<data>/objects` under `prefix` in key order and returns one page.
    ///
    /// Keys come out in UTF-8 byte order (S3's order) without sorting the whole tree: at each level the
    /// entries are sorted with a directory `d` compared as `d/`, which is where all its keys fall, and the walk
    /// stops as soon as one key beyond the page is found. Directories that lie entirely before the
    /// continuation point are skipped unopened. The continuation token is the last key of the page,
    /// base64url-encoded; it is opaque to callers. Every listed object's header is authenticated, so a damaged
    /// object fails the listing with `storage_integrity` rather than being skipped silently.
    package func list(prefix: String, continuationToken: String?, maxKeys: Int, logger: Logger) async throws(StorageError) -> ObjectListing {
        let (directories, namePrefix) = try LocalStoreLayout.splitPrefix(prefix)
        let startAfter = try continuationToken.map { token throws(StorageError) in try Self.decodeToken(token) }
        let pageSize = min(max(maxKeys, 1), Self.maxKeysPerPage)
        let layout = layout
        let keys = try await BlockingIO.run { () throws(StorageError) -> [String] in
            var walk = KeyWalk(startAfter: startAfter.map { Array($0.utf8) }, limit: pageSize + 1)
            let keyPrefix = directories.map { $0 + "/" }.joined()
            try walk.visit(layout.directoryPath(directories), keyPrefix: keyPrefix, namePrefix: String(namePrefix))
            return walk.keys
        }
        var objects: [ObjectInfo] = []
        for key in keys.prefix(pageSize) {
            do throws(StorageError) {
                objects.append(try await head(key: key, logger: logger))
            } catch {
                guard error.code == "not_found" else { throw error }  // else deleted since the walk saw it
            }
        }
        let next = keys.count > pageSize ? keys.prefix(pageSize).last.map(Self.encodeToken) : nil
        logger.debug("listed objects", metadata: ["count": "\(objects.count)"])
        return ObjectListing(objects: objects, nextContinuationToken: next)
    }

    static func encodeToken(_ key: String) -> String {
        Data(key.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeToken(_ token: String) throws(StorageError) -> String {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let key = String(data: data, encoding: .utf8) else {
            throw .failure("The continuation token is not valid.")
        }
        return key
    }
}

/// A depth-first walk of the objects directory that yields keys in UTF-8 byte order.
private struct KeyWalk {
    let startAfter: [UInt8]?
    let limit: Int
    private(set) var keys: [String] = []

    init(startAfter: [UInt8]?, limit: Int) {
        self.startAfter = startAfter
        self.limit = limit
    }

    /// Visits `directory`, whose keys start with `keyPrefix`; only names starting with `namePrefix` count.
    mutating func visit(_ directory: String, keyPrefix: String, namePrefix: String = "") throws(StorageError) {
        guard let entries = try POSIXFileSystem.entries(of: directory) else { return }
        let sorted =
            entries
            .filter { $0.kind != .other && $0.name.utf8.starts(with: namePrefix.utf8) }
            .map { (entry: $0, sortKey: Array(($0.kind == .directory ? $0.name + "/" : $0.name).utf8)) }
            .sorted { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
        for (entry, _) in sorted {
            guard keys.count < limit else { return }
            let key = keyPrefix + entry.name
            switch entry.kind {
            case .directory:
                let subtree = Array((key + "/").utf8)
                if let startAfter, subtree.lexicographicallyPrecedes(startAfter), !startAfter.starts(with: subtree) {
                    continue  // every key below lies before the continuation point
                }
                try visit(directory + "/" + entry.name, keyPrefix: key + "/")
            case .file:
                if let startAfter, !startAfter.lexicographicallyPrecedes(Array(key.utf8)) { continue }
                keys.append(key)
            case .other:
                continue
            }
        }
    }
}
