extension DocumentKey {
    /// The place of a key in the layout, as the access policy and the admin pages need it.
    package enum Location: Hashable, Sendable {
        /// A document of an entity: `{root}/{entityId}/{folder}/…`; `folder` is one of ``FileCategory/allFolders``.
        case entity(EntityType, EntityID, folder: String)
        /// A temporary upload under `temp/`, deleted after 7 days.
        case temp
        /// A soft-deleted document under `archived/`; `original` is the key it had before.
        indirect case archived(original: DocumentKey)
    }
}
