import Testing

@testable import Server

@Suite("Import sources: a local path, or s3://bucket/key")
struct ImportSourceTests {
    @Test("s3:// addresses split at the first slash; anything else is a path")
    func parsing() throws {
        #expect(try ImportSource("s3://legacy-bucket/old app/lab 1.pdf") == .s3(bucket: "legacy-bucket", key: "old app/lab 1.pdf"))
        #expect(try ImportSource("/srv/files/a,b.pdf") == .local(path: "/srv/files/a,b.pdf"))
        #expect(try ImportSource("relative/a.pdf") == .local(path: "relative/a.pdf"))
        #expect(try ImportSource("S3://not-an-address") == .local(path: "S3://not-an-address"))
    }

    @Test(
        "an empty source, or an s3:// address without a bucket or a key, is invalid_source",
        arguments: ["", "s3://", "s3://bucket", "s3://bucket/", "s3:///key"]
    )
    func invalid(_ text: String) {
        #expect(throws: ImportRefusal.invalidSource) { try ImportSource(text) }
    }

    @Test("a missing local file is source_not_found, a directory source_unreadable")
    func localChecks() {
        #expect(throws: ImportRefusal.sourceNotFound) { try LocalFileChunks(path: "/nonexistent/medvault-import-test.pdf") }
        #expect(throws: ImportRefusal.sourceUnreadable) { try LocalFileChunks(path: "/") }
    }
}
