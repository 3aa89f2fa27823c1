/// Every mustache template the pages use, named as `MustacheLibrary` names it: its path under `Templates/` without
/// `.mustache`.
///
/// The list is checked at start-up (``PageRenderer``): swift-mustache renders a missing page as nothing and a
/// missing layout or partial as an empty string, so a deployment without its templates (the Docker image once
/// shipped none) would serve blank pages with status 200 instead of refusing to start.
enum PageTemplate: String, CaseIterable, Sendable {
    case documents
    case error
    case home
    case login
    case selftest
    case storage
    /// The frame every page inherits (`{{<layout}}`).
    case layout
    /// Partials included by the document pages (`{{> partials/…}}`).
    case documentTable = "partials/document-table"
    case filterForm = "partials/filter-form"
    case uploadWidget = "partials/upload-widget"
}

/// The templates directory lacks templates the pages need; start-up stops with this error.
struct MissingTemplates: Error, CustomStringConvertible {
    let names: [String]
    let directory: String

    var description: String {
        "missing page templates in \(directory) (MEDVAULT_TEMPLATES_DIR): \(names.map { "\($0).mustache" }.joined(separator: ", "))"
    }
}
