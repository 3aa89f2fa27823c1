import Testing

@testable import ObjectStorage

/// ListObjectVersions and GetBucketVersioning answers, as S3 documents them, read into values.
@Suite struct S3VersionDocumentsTests {
    @Test func readsVersionsDeleteMarkersAndTheNextMarkers() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>b</Name><Prefix>patients/P1/</Prefix><IsTruncated>true</IsTruncated>
              <NextKeyMarker>patients/P1/other/b.pdf</NextKeyMarker><NextVersionIdMarker>v2</NextVersionIdMarker>
              <Version><Key>patients/P1/other/a.pdf</Key><VersionId>null</VersionId><IsLatest>false</IsLatest></Version>
              <DeleteMarker><Key>patients/P1/other/a.pdf</Key><VersionId>m1</VersionId><IsLatest>true</IsLatest></DeleteMarker>
              <Version><Key>patients/P1/other/b.pdf</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest></Version>
            </ListVersionsResult>
            """
        let page = try S3Documents.versionPage(Array(xml.utf8))
        #expect(
            page.versions == [
                S3ObjectVersion(key: "patients/P1/other/a.pdf", versionID: "null", isDeleteMarker: false, isLatest: false),
                S3ObjectVersion(key: "patients/P1/other/b.pdf", versionID: "v2", isDeleteMarker: false, isLatest: true),
                S3ObjectVersion(key: "patients/P1/other/a.pdf", versionID: "m1", isDeleteMarker: true, isLatest: true),
            ]
        )
        #expect(page.next?.keyMarker == "patients/P1/other/b.pdf")
        #expect(page.next?.versionIDMarker == "v2")
    }

    @Test func aLastPageHasNoMarkerAndATruncatedOneWithoutMarkerIsRefused() throws {
        let last = #"<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>"#
        #expect(try S3Documents.versionPage(Array(last.utf8)) == S3Documents.VersionPage(versions: [], next: nil))
        let broken = #"<ListVersionsResult><IsTruncated>true</IsTruncated></ListVersionsResult>"#
        #expect(throws: S3XMLError.self) { try S3Documents.versionPage(Array(broken.utf8)) }
        let unnamed = #"<ListVersionsResult><Version><Key>k</Key></Version></ListVersionsResult>"#
        #expect(throws: S3XMLError.self) { try S3Documents.versionPage(Array(unnamed.utf8)) }
    }

    @Test func enabledAndSuspendedBucketsKeepVersions() throws {
        func keeps(_ xml: String) throws -> Bool { try S3Documents.keepsVersions(Array(xml.utf8)) }
        #expect(try keeps(#"<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"#))
        #expect(try keeps(#"<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>"#))
        #expect(try keeps(#"<GetBucketVersioningResponse><Status>Enabled</Status></GetBucketVersioningResponse>"#))
        #expect(try !keeps(#"<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#))
        #expect(throws: S3XMLError.self) { try keeps("<Error><Code>AccessDenied</Code></Error>") }
    }
}
