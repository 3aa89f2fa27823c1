import Documents
import Foundation
import Testing

/// The media categories' table: types, owners and size caps, and where their keys go.
@Suite struct MediaCategoryTests {
    @Test func mediaCategoriesNarrowTypesOwnersAndSizes() {
        let mebibyte = 1024 * 1024
        let expected: [FileCategory: ([AllowedType], [EntityType], Int?)] = [
            .therapyMedia: ([.jpeg, .png, .webp, .mp4, .mov, .webm], [.provider, .patient], nil),
            .profilePhoto: ([.jpeg, .png], [.provider, .patient], 5 * mebibyte),
            .verificationPhoto: ([.jpeg, .png, .heic], [.patient], 5 * mebibyte),
            .chatImage: ([.jpeg, .png, .webp, .heic], [.appointment], 10 * mebibyte),
        ]
        for (category, (types, owners, cap)) in expected {
            #expect(category.allowedTypes == types, "\(category)")
            #expect(category.entityTypes == owners, "\(category)")
            #expect(category.maxBytes == cap, "\(category)")
        }
    }

    @Test func documentCategoriesKeepTheDocumentTypesAndTakeNoVideoOrHEIC() {
        for category in [
            FileCategory.medicalRecords, .labResults, .imaging, .consentForms, .intakeForms, .insurance, .invoices, .prescriptions, .other,
        ] {
            #expect(category.allowedTypes == AllowedType.documentTypes)
            #expect(category.entityTypes == EntityType.allCases)
            #expect(category.maxBytes == nil)
        }
        #expect(!AllowedType.documentTypes.contains(where: { $0 == .heic || $0.kind == .video }))
    }

    @Test(arguments: [
        (FileCategory.therapyMedia, EntityType.provider, "providers/E1/therapy-media/"),
        (.therapyMedia, .patient, "patients/E1/therapy-media/"),
        (.profilePhoto, .provider, "providers/E1/profile/"),
        (.verificationPhoto, .patient, "patients/E1/verification/"),
        (.chatImage, .appointment, "appointments/E1/chat/"),
    ])
    func keysGoUnderTheCategoryFolder(category: FileCategory, entityType: EntityType, prefix: String) throws {
        let id = UUID(uuidString: "0b7c3f1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b")!
        let key = KeyLayout.documentKey(
            entityType: entityType,
            entityID: try EntityID(validating: "E1"),
            category: category,
            documentID: id,
            fileName: "photo.jpg"
        )
        #expect(key.rawValue == "\(prefix)0b7c3f1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b-photo.jpg")
        #expect(try DocumentKey(parsing: key.rawValue) == key)
    }

    @Test func videosHaveTheirOwnLimitOutsideTheOverallOne() {
        let limits = SizeLimits(imageMaxBytes: 100, documentMaxBytes: 200, overallMaxBytes: 300, videoMaxBytes: 5000)
        #expect(limits.maxBytes(for: .video) == 5000)
        #expect(limits.maxBytes(for: .medical) == 300)
    }

    @Test func aCategoryCapLowersTheKindLimitButNeverRaisesIt() {
        let mebibyte = 1024 * 1024
        let standard = SizeLimits.standard
        #expect(standard.maxBytes(for: .image, in: .profilePhoto) == 5 * mebibyte)
        #expect(standard.maxBytes(for: .image, in: .chatImage) == 10 * mebibyte)
        #expect(standard.maxBytes(for: .image, in: .therapyMedia) == 10 * mebibyte)
        #expect(standard.maxBytes(for: .video, in: .therapyMedia) == 500 * mebibyte)
        let lowered = SizeLimits(imageMaxBytes: 2 * mebibyte, documentMaxBytes: 25 * mebibyte, overallMaxBytes: 50 * mebibyte)
        #expect(lowered.maxBytes(for: .image, in: .profilePhoto) == 2 * mebibyte)
    }
}
