import Foundation

/// Where the local store keeps things under its data directory, and the mapping from keys to paths.
///
/// ```
/// <data>/storage.key   generated master key (unless configured), see StorageKeyProvider
/// <data>/objects/<key> one encrypted file per object; key segments are directories
/// <data>/tmp/          uploads in progress (*.upload), renamed into objects/ when finished
/// ```
///
/// Keys reach the store already validated by `KeyLayout`, but this mapping re-checks everything that could
/// make a path escape `objects/` or alias another key, because a mistake here would expose other patients'
/// files.
struct LocalStoreLayout: Sendable {
    /// The data directory, without a trailing slash.
    let root: String
    /// `<data>/objects`.
    let objectsDirectory: String
    /// `<data>/tmp`.
    let temporaryDirectory: String

    /// The longest key the store accepts, in UTF-8 bytes (S3's limit).
    static let maxKeyLength = 1024
    /// The longest key segment: one file-name component (`NAME_MAX`).
    static let maxSegmentLength = 255
    /// The suffix of temporary files of uploads in progress.
    static let temporarySuffix = ".upload"

    init(dataDirectory: URL) {
        var root = dataDirectory.standardizedFileURL.path
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.objectsDirectory = root + "/objects"
        self.temporaryDirectory = root + "/tmp"
    }

    /// The key's segments, or `storage_failure` when the key is not one the store can hold safely:
    /// empty, too long, absolute, with empty, `.` or `..` segments, or with control characters or backslashes.
    static func segments(ofKey key: String) throws(StorageError) -> [Substring] {
        guard !key.isEmpty, key.utf8.count <= maxKeyLength, isSafe(key) else { throw invalidKey }
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments where !isSafeSegment(segment) {
            throw invalidKey
        }
        return segments
    }

    /// The absolute path of the object file for `key`.
    func objectPath(forKey key: String) throws(StorageError) -> String {
        let segments = try Self.segments(ofKey: key)
        let path = objectsDirectory + "/" + segments.joined(separator: "/")
        guard path.hasPrefix(objectsDirectory + "/") else { throw Self.invalidKey }
        return path
    }

    /// The directories between `objects/` and the object file for `key`, outermost first.
    func parentSegments(ofKey key: String) throws(StorageError) -> ArraySlice<Substring> {
        try Self.segments(ofKey: key).dropLast()
    }

    /// The directory path of a list of segments under `objects/`.
    func directoryPath(_ segments: some Sequence<Substring>) -> String {
        ([objectsDirectory] + segments.map(String.init)).joined(separator: "/")
    }

    /// A listing prefix split into the directory to walk and the start of the names to match there:
    /// `patients/p1/lab` → (`[patients, p1]`, `lab`); `patients/` → (`[patients]`, ``); `` → (`[]`, ``).
    static func splitPrefix(_ prefix: String) throws(StorageError) -> (directories: [Substring], namePrefix: Substring) {
        guard prefix.utf8.count <= maxKeyLength, isSafe(prefix), !prefix.hasPrefix("/") else { throw invalidKey }
        var segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
        let namePrefix = segments.removeLast()
        for segment in segments where !isSafeSegment(segment) {
            throw invalidKey
        }
        return (segments, namePrefix)
    }

    private static let invalidKey = StorageError.failure("The object key is not valid for this store.")

    private static func isSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }
    }

    private static func isSafeSegment(_ segment: Substring) -> Bool {
        !segment.isEmpty && segment != "." && segment != ".." && segment.utf8.count <= maxSegmentLength
    }
}
