import Documents

extension AccessPolicy {
    /// The cells the media folders add to the policy (DESIGN.md, "Access"), decided from the owner's entity and
    /// folder and the caller's relations; `nil` where the folder has no rule of its own for `action`, so the
    /// entity's rules apply as for any document.
    ///
    /// - `providers/{id}/therapy-media/`: read and list by the patients on that provider's care team.
    /// - `providers/{id}/profile/`: read and list by every signed-in user.
    /// - `patients/{id}/verification/`: the patient, their care team and administrators only; break-glass does not
    ///   open it, because an identity photo is never what an emergency needs (the patient's record is).
    /// - `appointments/{id}/chat/`: read, list and upload by the appointment's two participants; everyone else is
    ///   refused whatever they uploaded, care team or not (archiving stays with the provider who uploaded).
    ///
    /// A patient's profile photo needs no cell: the patient and their care team already see their documents.
    static func mediaDecision(_ action: DocumentAction, owner: DocumentOwner, principal: Principal) -> AccessDecision? {
        let reads = action == .read || action == .list
        switch (owner.entityType, owner.folder) {
        case (.provider, FileCategory.therapyMedia.folder):
            return reads && principal.role == .patient && principal.careProviders.contains(owner.entityID) ? .allowed : nil
        case (.provider, FileCategory.profilePhoto.folder):
            return reads ? .allowed : nil
        case (.patient, FileCategory.verificationPhoto.folder):
            return principal.role == .provider && !principal.careTeam.contains(owner.entityID) ? .denied(.notPermitted) : nil
        case (.appointment, FileCategory.chatImage.folder):
            guard principal.appointments.contains(owner.entityID) else { return .denied(.notPermitted) }
            return reads || action == .upload ? .allowed : nil
        default:
            return nil
        }
    }
}
