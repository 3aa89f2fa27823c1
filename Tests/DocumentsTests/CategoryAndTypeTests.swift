import Documents
import Testing

@Suite struct CategoryAndTypeTests {
    @Test func hasThirteenCategoriesWithStableRawValues() {
        #expect(
            FileCategory.allCases.map(\.rawValue) == [
                "medical-records", "lab-results", "imaging", "consent-forms", "intake-forms", "insurance", "invoices", "prescriptions", "other",
                "therapy-media", "profile-photo", "verification-photo", "chat-image",
            ]
        )
    }

    @Test func mapsCategoriesToFolders() {
        let folders = Dictionary(uniqueKeysWithValues: FileCategory.allCases.map { ($0, $0.folder) })
        #expect(
            folders == [
                .medicalRecords: "medical-records", .labResults: "lab-results", .imaging: "imaging", .consentForms: "forms",
                .intakeForms: "forms", .insurance: "insurance", .invoices: "billing", .prescriptions: "prescriptions", .other: "other",
                .therapyMedia: "therapy-media", .profilePhoto: "profile", .verificationPhoto: "verification", .chatImage: "chat",
            ]
        )
        #expect(
            FileCategory.allFolders == [
                "medical-records", "lab-results", "imaging", "forms", "insurance", "billing", "prescriptions", "other", "therapy-media", "profile",
                "verification", "chat",
            ]
        )
    }

    @Test func mapsEntityTypesToRootFolders() {
        #expect(EntityType.allCases.map(\.rawValue) == ["patient", "provider", "appointment", "prescription"])
        #expect(EntityType.allCases.map(\.rootFolder) == ["patients", "providers", "appointments", "prescriptions"])
        #expect(EntityType(rootFolder: "providers") == .provider)
        #expect(EntityType(rootFolder: "patient") == nil)
    }

    @Test func describesEveryAllowedType() {
        let expected: [AllowedType: (String, TypeKind, [String], Bool)] = [
            .jpeg: ("image/jpeg", .image, ["jpg", "jpeg"], true),
            .png: ("image/png", .image, ["png"], true),
            .gif: ("image/gif", .image, ["gif"], true),
            .webp: ("image/webp", .image, ["webp"], true),
            .svg: ("image/svg+xml", .image, ["svg"], false),
            .pdf: ("application/pdf", .document, ["pdf"], true),
            .doc: ("application/msword", .document, ["doc"], false),
            .docx: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", .document, ["docx"], false),
            .xls: ("application/vnd.ms-excel", .document, ["xls"], false),
            .xlsx: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", .document, ["xlsx"], false),
            .text: ("text/plain", .document, ["txt"], false),
            .csv: ("text/csv", .document, ["csv"], false),
            .dicom: ("application/dicom", .medical, ["dcm", "dicom"], false),
            .heic: ("image/heic", .image, ["heic"], false),
            .mp4: ("video/mp4", .video, ["mp4"], false),
            .mov: ("video/quicktime", .video, ["mov"], false),
            .webm: ("video/webm", .video, ["webm"], false),
        ]
        #expect(AllowedType.allCases.count == 17)
        for type in AllowedType.allCases {
            let (mime, kind, extensions, inline) = expected[type]!
            #expect(type.mimeType == mime)
            #expect(type.kind == kind)
            #expect(type.extensions == extensions)
            #expect(type.servedInline == inline, "\(type)")
        }
    }

    @Test func findsTypesByExtension() {
        #expect(AllowedType(fileExtension: "JPG") == .jpeg)
        #expect(AllowedType(fileExtension: "dicom") == .dicom)
        #expect(AllowedType(fileExtension: "txt") == .text)
        #expect(AllowedType(fileExtension: "exe") == nil)
        #expect(AllowedType(fileExtension: "") == nil)
    }

    @Test func findsTypesByMIMEType() {
        for type in AllowedType.allCases {
            #expect(AllowedType(mimeType: type.mimeType) == type)
        }
        #expect(AllowedType(mimeType: "application/x-msdownload") == nil)
        #expect(AllowedType(mimeType: "IMAGE/JPEG") == nil, "stored content types are lowercase; nothing else matches")
    }

    @Test func hasTheStandardLimitsInMebibytes() {
        let limits = SizeLimits.standard
        #expect(limits.maxBytes(for: .image) == 10_485_760)
        #expect(limits.maxBytes(for: .document) == 26_214_400)
        #expect(limits.maxBytes(for: .medical) == 52_428_800)
        #expect(limits.overallMaxBytes == 52_428_800)
        #expect(limits.maxBytes(for: .video) == 524_288_000)
    }

    @Test func neverExceedsTheOverallLimit() {
        let limits = SizeLimits(imageMaxBytes: 100, documentMaxBytes: 500, overallMaxBytes: 300)
        #expect(limits.maxBytes(for: .image) == 100)
        #expect(limits.maxBytes(for: .document) == 300)
        #expect(limits.maxBytes(for: .medical) == 300)
    }
}
