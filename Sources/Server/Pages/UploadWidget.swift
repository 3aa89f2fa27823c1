import Documents

/// The values of the upload widget partial (`section#upload-widget`): the categories, the entity the files
/// belong to (chosen by an administrator, fixed for patients and providers), and the limits `upload.js`
/// checks before sending. The server decides again on every file.
struct UploadWidget: Sendable {
    let categories: [UploadCategoryOption]
    /// An administrator picks the entity type and id; everyone else uploads for ``fixedEntityType``/``fixedEntityID``.
    let choosesEntity: Bool
    let entityTypes: [PageOption]
    let fixedEntityType: String
    let fixedEntityID: String
    let maxFileBytes: Int
    let imageMaxBytes: Int
    let documentMaxBytes: Int
    /// Videos have their own limit, outside ``maxFileBytes`` (``SizeLimits/videoMaxBytes``).
    let videoMaxBytes: Int
    /// Comma-separated extensions per kind, without dots (`data-image-extensions`, …).
    let imageExtensions: String
    let documentExtensions: String
    let medicalExtensions: String
    let videoExtensions: String
    /// The file picker's `accept`: every allowed extension with its dot; the chosen category narrows it in `upload.js`.
    let accept: String
    /// The limits in words, under the drop area.
    let limitsText: String

    /// A widget for an administrator, who chooses the entity.
    static func forAdministrator(limits: SizeLimits) -> UploadWidget {
        UploadWidget(choosesEntity: true, entityType: "", entityID: "", limits: limits)
    }

    /// A widget whose uploads all go to one entity (a patient's own folder, a provider's chosen patient).
    static func fixed(entityType: EntityType, entityID: String, limits: SizeLimits) -> UploadWidget {
        UploadWidget(choosesEntity: false, entityType: entityType.rawValue, entityID: entityID, limits: limits)
    }

    private init(choosesEntity: Bool, entityType: String, entityID: String, limits: SizeLimits) {
        categories = UploadCategoryOption.all(selected: .medicalRecords)
        self.choosesEntity = choosesEntity
        entityTypes = EntityType.allCases.map { PageOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == .patient) }
        fixedEntityType = entityType
        fixedEntityID = entityID
        maxFileBytes = limits.overallMaxBytes
        imageMaxBytes = limits.maxBytes(for: .image)
        documentMaxBytes = limits.maxBytes(for: .document)
        videoMaxBytes = limits.maxBytes(for: .video)
        func extensions(_ kind: TypeKind) -> [String] { AllowedType.allCases.filter { $0.kind == kind }.flatMap(\.extensions) }
        imageExtensions = extensions(.image).joined(separator: ",")
        documentExtensions = extensions(.document).joined(separator: ",")
        medicalExtensions = extensions(.medical).joined(separator: ",")
        videoExtensions = extensions(.video).joined(separator: ",")
        accept = AllowedType.allCases.flatMap(\.extensions).map { "." + $0 }.joined(separator: ",")
        limitsText =
            "Images up to \(PageFormat.byteCount(Int64(imageMaxBytes))), documents up to \(PageFormat.byteCount(Int64(documentMaxBytes))), "
            + "videos up to \(PageFormat.byteCount(Int64(videoMaxBytes))), any other file up to \(PageFormat.byteCount(Int64(maxFileBytes))). "
            + "Accepted types: \(AllowedType.allCases.map { $0.extensions[0].uppercased() }.joined(separator: ", "))."
    }
}
