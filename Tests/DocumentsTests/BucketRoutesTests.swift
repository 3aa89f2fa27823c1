import Testing

@testable import Documents

@Suite("Bucket routes (MEDVAULT_BUCKET_ROUTES)")
struct BucketRoutesTests {
    @Test("pairs are parsed with spaces around them; empty text is no routes")
    func parsing() throws {
        let routes = try BucketRoutes(parsing: " verification-photo = clinic-verification , profile-photo=clinic-profiles")
        #expect(routes.buckets == [.verificationPhoto: "clinic-verification", .profilePhoto: "clinic-profiles"])
        #expect(routes.bucket(for: .verificationPhoto) == "clinic-verification")
        #expect(routes.bucket(for: .medicalRecords) == nil)
        #expect(routes.routedBuckets == ["clinic-profiles", "clinic-verification"])
        #expect(try BucketRoutes(parsing: "") == .none)
        #expect(try BucketRoutes(parsing: "  ") == .none)
        #expect(try BucketRoutes(parsing: "profile-photo=shared,verification-photo=shared").routedBuckets == ["shared"])
    }

    @Test("a key's bucket follows its folder, under archived/ too; temp/ and quarantine/ stay in the documents bucket")
    func keys() throws {
        let routes = try BucketRoutes(parsing: "verification-photo=clinic-verification,consent-forms=forms-b,intake-forms=forms-b")
        #expect(routes.bucket(forKey: "patients/P1/verification/0f8fad5b-d9cb-469f-a165-70867728950e-id.jpg") == "clinic-verification")
        #expect(routes.bucket(forKey: "archived/patients/P1/verification/0f8fad5b-d9cb-469f-a165-70867728950e-id.jpg") == "clinic-verification")
        #expect(routes.bucket(forKey: "patients/P1/forms/0f8fad5b-d9cb-469f-a165-70867728950e-intake.pdf") == "forms-b")
        #expect(routes.bucket(forKey: "patients/P1/medical-records/0f8fad5b-d9cb-469f-a165-70867728950e-a.pdf") == nil)
        #expect(routes.bucket(forKey: "temp/0f8fad5b-d9cb-469f-a165-70867728950e-verification") == nil)
        #expect(routes.bucket(forKey: "quarantine/0f8fad5b-d9cb-469f-a165-70867728950e") == nil)
        #expect(routes.bucket(forKey: "patients/verification") == nil)
        #expect(BucketRoutes.none.bucket(forKey: "patients/P1/verification/x") == nil)
    }

    @Test(
        "refusals name the variable and what is wrong",
        arguments: [
            ("verification-photo", BucketRoutesError.malformed),
            ("verification-photo=", .malformed),
            ("=bucket", .malformed),
            ("verification-photo=a=b", .malformed),
            ("verification-photo=abc,", .malformed),
            ("selfies=clinic-selfies", .unknownCategory("selfies")),
            ("verification-photo=Clinic", .invalidBucket(.verificationPhoto)),
            ("verification-photo=ab", .invalidBucket(.verificationPhoto)),
            ("verification-photo=clinic.verification", .invalidBucket(.verificationPhoto)),
            ("verification-photo=-clinic", .invalidBucket(.verificationPhoto)),
            ("verification-photo=xn--clinic", .invalidBucket(.verificationPhoto)),
            ("verification-photo=clinic-s3alias", .invalidBucket(.verificationPhoto)),
            ("verification-photo=aaa,verification-photo=bbb", .duplicate(.verificationPhoto)),
            ("consent-forms=forms-a", .sharedFolder(.consentForms, .intakeForms)),
            ("consent-forms=forms-a,intake-forms=forms-b", .sharedFolder(.consentForms, .intakeForms)),
        ]
    )
    func refusals(text: String, expected: BucketRoutesError) {
        #expect(throws: expected) { try BucketRoutes(parsing: text) }
        #expect(expected.description.hasPrefix("MEDVAULT_BUCKET_ROUTES "))
    }

    @Test("an unknown category that is long or not printable is not echoed")
    func unknownCategoryEcho() {
        #expect(BucketRoutesError.unknownCategory("selfies").description.contains("'selfies'"))
        #expect(!BucketRoutesError.unknownCategory(String(repeating: "x", count: 41)).description.contains("xxxx"))
        #expect(!BucketRoutesError.unknownCategory("a b").description.contains("'a b'"))
    }
}
