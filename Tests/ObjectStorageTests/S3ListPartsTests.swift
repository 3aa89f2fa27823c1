import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("S3 ListParts documents")
    struct S3ListPartsTests {
        static func document(root: String) -> [UInt8] {
            Array(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <\(root) xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Bucket>medvault-test</Bucket><Key>quarantine/x</Key><UploadId>abc</UploadId><IsTruncated>false</IsTruncated>
                  <Part><PartNumber>2</PartNumber><ETag>"b2"</ETag><Size>7</Size></Part>
                  <Part><PartNumber>1</PartNumber><ETag>b1</ETag><Size>5242880</Size></Part>
                </\(root)>
                """.utf8
            )
        }

        @Test("parts come back ascending with quoted ETags, from AWS's ListPartsResult and moto's ListPartsResponse")
        func parts() throws {
            for root in ["ListPartsResult", "ListPartsResponse"] {
                #expect(
                    try S3Documents.uploadedParts(Self.document(root: root)) == [
                        UploadedPart(number: 1, etag: "\"b1\"", size: 5_242_880), UploadedPart(number: 2, etag: "\"b2\"", size: 7),
                    ]
                )
            }
        }

        @Test("another document, or a part without its number, ETag or size, is refused")
        func refusals() {
            #expect(throws: S3XMLError.self) { try S3Documents.uploadedParts(Self.document(root: "ListBucketResult")) }
            let partial = Array("<ListPartsResult><Part><PartNumber>1</PartNumber><Size>3</Size></Part></ListPartsResult>".utf8)
            #expect(throws: S3XMLError.self) { try S3Documents.uploadedParts(partial) }
        }
    }
}
