import Documents

/// One category of the upload widget's `<select>`, with what the server accepts in it (``FileCategory/allowedTypes``
/// and ``FileCategory/maxBytes``) as `data-` attributes, so `upload.js` refuses before sending exactly what the
/// server would refuse by name or size: a video in `lab-results`, a 6 MiB profile photo.
struct UploadCategoryOption: Sendable, Equatable {
    let value: String
    let label: String
    let selected: Bool
    /// The category's extensions without dots, comma-separated (`data-extensions`).
    let extensions: String
    /// The category's own cap in bytes, 0 when it has none (`data-max-bytes`).
    let maxBytes: Int

    /// Every category, `selected` chosen.
    static func all(selected: FileCategory) -> [UploadCategoryOption] {
        FileCategory.allCases.map { category in
            UploadCategoryOption(
                value: category.rawValue,
                label: PageOption.label(of: category),
                selected: category == selected,
                extensions: category.allowedTypes.flatMap(\.extensions).joined(separator: ","),
                maxBytes: category.maxBytes ?? 0
            )
        }
    }
}
