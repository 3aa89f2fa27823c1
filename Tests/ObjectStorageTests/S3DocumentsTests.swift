import Foundation
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("S3 XML documents")
    struct S3DocumentsTests {
        static let listPage = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>medvault-test</Name><Prefix>patients/p1/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
              <IsTruncated>true</IsTruncated>
              <Contents>
                <Key>patients/p1/lab-results/a &amp; b &lt;1&gt;.pdf</Key>
                <LastModified>2026-11-22T10:00:00.000Z</LastModified>
                <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>
                <Size>1234</Size><StorageClass>STANDARD</StorageClass>
              </Contents>
              <Contents>
                <Key>patients/p1/other/&#xFC;ber&#32;ok.txt</Key>
                <LastModified>2026-11-22T10:00:00Z</LastModified>
                <ETag>"d41d8cd98f00b204e9800998ecf8427e-3"</ETag>
                <Size>0</Size>
              </Contents>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            </ListBucketResult>
            """

        @Test("ListObjectsV2: keys with entities, sizes, quoted ETags, dates and the continuation token")
        func listObjectsV2() throws {
            let page = try S3Documents.objectPage(Array(Self.listPage.utf8))
            #expect(page.objects.map(\.key) == ["patients/p1/lab-results/a & b <1>.pdf", "patients/p1/other/über ok.txt"])
            #expect(page.objects.map(\.size) == [1234, 0])
            #expect(page.objects.map(\.etag) == ["\"9b2cf535f27731c974343645a3985328\"", "\"d41d8cd98f00b204e9800998ecf8427e-3\""])
            #expect(page.objects.allSatisfy { $0.lastModified == S3Fixture.lastModified })
            #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        }

        @Test("ListObjectsV2: the last page has no token; url-encoded keys are decoded like the SDKs do")
        func lastPageAndEncodedKeys() throws {
            let xml = """
                <ListBucketResult><IsTruncated>false</IsTruncated><EncodingType>url</EncodingType>
                <Contents><Key>patients/p1/forms/a+b%2Bc%C3%BC.pdf</Key><LastModified>2026-11-22T10:00:00.000Z</LastModified>
                <ETag>abc</ETag><Size>5</Size></Contents></ListBucketResult>
                """
            let page = try S3Documents.objectPage(Array(xml.utf8))
            #expect(page.objects.map(\.key) == ["patients/p1/forms/a b+cü.pdf"])
            #expect(page.objects.first?.etag == "\"abc\"")
            #expect(page.nextContinuationToken == nil)
        }

        @Test("ListObjectsV2: entries without a valid size or date, and truncation without a token, are refused")
        func malformedListing() {
            let entries = [
                "<ListBucketResult><Contents><Key>k</Key><Size>x</Size><LastModified>2026-11-22T10:00:00Z</LastModified></Contents></ListBucketResult>",
                "<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday</LastModified></Contents></ListBucketResult>",
                "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                "<Error><Code>AccessDenied</Code></Error>",
            ]
            for xml in entries {
                #expect(throws: S3XMLError.self) { try S3Documents.objectPage(Array(xml.utf8)) }
            }
        }

        @Test("InitiateMultipartUploadResult yields the upload id")
        func initiateMultipartUpload() throws {
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                <Bucket>medvault-test</Bucket><Key>patients/p1/imaging/x.dcm</Key>
                <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId></InitiateMultipartUploadResult>
                """
            #expect(try S3Documents.uploadID(Array(xml.utf8)) == "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA")
            #expect(throws: S3XMLError.self) { try S3Documents.uploadID(Array("<InitiateMultipartUploadResult/>".utf8)) }
        }

        @Test("error bodies: code and request id; anything else is not an error document")
        func errorBodies() {
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>
                <CanonicalRequest>GET /medvault-test/patients/p1/x.pdf</CanonicalRequest><RequestId>4442587FB7D0A2F9</RequestId></Error>
                """
            #expect(S3Documents.errorBody(Array(xml.utf8)) == S3Documents.ErrorBody(code: "SignatureDoesNotMatch", requestID: "4442587FB7D0A2F9"))
            #expect(S3Documents.errorBody(Array("\n  \n<Error><Code>InternalError</Code></Error>".utf8))?.code == "InternalError")
            #expect(S3Documents.errorBody(Array("<CompleteMultipartUploadResult/>".utf8)) == nil)
            #expect(S3Documents.errorBody(Array("<html><body>Bad Gateway</body></html".utf8)) == nil)
            #expect(S3Documents.errorBody([]) == nil)
        }

        @Test("CompleteMultipartUpload's body lists every part with its ETag, escaped")
        func completeBody() throws {
            let parts = [S3Documents.CompletedPart(number: 1, etag: "\"a\""), S3Documents.CompletedPart(number: 2, etag: "\"b&c\"")]
            let xml = S3Documents.completeMultipartUploadBody(parts)
            let root = try S3XMLReader.parse(Array(xml.utf8))
            #expect(root.name == "CompleteMultipartUpload")
            #expect(root.children("Part").map { $0.text(of: "PartNumber") } == ["1", "2"])
            #expect(root.children("Part").map { $0.text(of: "ETag") } == ["\"a\"", "\"b&c\""])
            #expect(xml.contains("b&amp;c"))
        }

        @Test("the reader refuses DTDs, bad nesting, unknown entities, invalid UTF-8 and deep nesting")
        func strictReader() throws {
            let refused = [
                #"<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>"#,
                "<a><b></a></b>",
                "<a>&nbsp;</a>",
                "<a>&#0;</a>",
                "<a>unterminated",
                "<a></a><b></b>",
                "<a attr=x></a>",
                "",
            ]
            for xml in refused {
                #expect(throws: S3XMLError.self) { try S3XMLReader.parse(Array(xml.utf8)) }
            }
            #expect(throws: S3XMLError.self) {
                try S3XMLReader.parse([UInt8(ascii: "<"), UInt8(ascii: "a"), UInt8(ascii: ">"), 0xFF, 0xFE] + Array("</a>".utf8))
            }
            let deep = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
            #expect(throws: S3XMLError.self) { try S3XMLReader.parse(Array(deep.utf8)) }
            let accepted = try S3XMLReader.parse(Array("\u{FEFF}<?xml version='1.0'?><!-- c --><s:a xmlns:s='x'><![CDATA[<k> & ]]><b/></s:a>".utf8))
            #expect(accepted.name == "a")
            #expect(accepted.text == "<k> & ")
            #expect(accepted.children.map(\.name) == ["b"])
        }

        @Test("dates: ISO 8601 in XML and IMF-fixdate in headers")
        func dates() {
            #expect(S3DateParser.iso8601("2026-11-22T10:00:00.000Z") == S3Fixture.lastModified)
            #expect(S3DateParser.iso8601("2026-11-22T10:00:00+00:00") == S3Fixture.lastModified)
            #expect(S3DateParser.iso8601("2026-11-22T10:00:00.5Z") == S3Fixture.lastModified.addingTimeInterval(0.5))
            #expect(S3DateParser.iso8601("2026-02-30T10:00:00Z") == nil)
            #expect(S3DateParser.iso8601("2026-11-22T10:00:00+02:00") == nil)
            #expect(S3DateParser.httpDate("Sun, 22 Nov 2026 10:00:00 GMT") == S3Fixture.lastModified)
            #expect(S3DateParser.httpDate("Sun, 22 Foo 2026 10:00:00 GMT") == nil)
            #expect(S3DateParser.httpDate("Sunday, 22-Nov-26 10:00:00 GMT") == nil)
        }
    }
}
