/// The trail above the `/storage` table: "All documents → patients → P1 → lab-results", one link per
/// complete segment of the browsed prefix, the last one the current place.
struct Breadcrumb: Sendable, Equatable {
    let label: String
    let href: String
    /// The last crumb, marked `aria-current="page"` and not a link.
    let current: Bool
}

/// A folder one level below the browsed prefix (`a.folder-link`).
struct FolderLink: Sendable, Equatable {
    let label: String
    let href: String
}

enum Breadcrumbs {
    /// The trail for `prefix` on `page` (for example `/storage`); an empty prefix is just "All documents".
    ///
    /// `prefix` has already passed ``KeyLayout/KeyPrefix`` validation; a trailing partial segment
    /// (`patients/P`) becomes a last crumb of its own.
    static func trail(prefix: String, page: String) -> [Breadcrumb] {
        var crumbs = [Breadcrumb(label: "All documents", href: page, current: prefix.isEmpty)]
        var walked = ""
        let segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() where !segment.isEmpty {
            let complete = index < segments.count - 1
            walked += segment + (complete ? "/" : "")
            crumbs.append(Breadcrumb(label: String(segment), href: PageLink.href(page, [("prefix", walked)]), current: false))
        }
        if crumbs.count > 1 {
            let last = crumbs.removeLast()
            crumbs.append(Breadcrumb(label: last.label, href: last.href, current: true))
        }
        return crumbs
    }

    /// Whether `prefix` names a folder whose children are folders: the root, an entity-type folder
    /// (`patients/`) or an entity (`patients/P1/`); below that come documents.
    static func browsesFolders(_ prefix: String) -> Bool {
        guard prefix.isEmpty || prefix.hasSuffix("/") else { return false }
        var depth = prefix.split(separator: "/").count
        if prefix.hasPrefix("archived/") { depth -= 1 }
        return depth < 3
    }

    /// The folder directly below `prefix` that `key` lies in, or nil when `key` is not under `prefix` or is
    /// a document directly in it.
    static func childFolder(of key: String, under prefix: String) -> String? {
        guard key.hasPrefix(prefix) else { return nil }
        let rest = key.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { return nil }
        return String(rest[..<slash])
    }

    /// Links to `folders` (names below `prefix`) on `page`.
    static func folderLinks(_ folders: [String], under prefix: String, page: String) -> [FolderLink] {
        folders.map { FolderLink(label: $0, href: PageLink.href(page, [("prefix", prefix + $0 + "/")])) }
    }
}
