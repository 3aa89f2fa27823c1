extension KeyLayout {
    /// The key prefixes that hold an entity's documents: its folder (`patients/{id}/`) and that folder under
    /// `archived/`. The trailing slash keeps `patients/P1/` from matching `patients/P10/`.
    package static func entityFolders(_ type: EntityType, _ id: EntityID) -> [String] {
        let folder = "\(type.rootFolder)/\(id.rawValue)/"
        return [folder, "\(KeySyntax.archivedRoot)/\(folder)"]
    }
}
