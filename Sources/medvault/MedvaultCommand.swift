import ArgumentParser

/// `medvault`: the document store's single executable. Each subcommand is a thin shell over the library
/// modules; the server itself is composed by `buildApplication` in the Server module.
@main
struct MedvaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medvault",
        abstract: "A HIPAA-minded document store for healthcare apps.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, CareTeamCommand.self, AppointmentCommand.self, TokenCommand.self,
            AuditCommand.self, DatabaseCommand.self, PresignCommand.self, SelftestCommand.self, UploadsCommand.self, ReconcileCommand.self,
            LifecycleCommand.self, ImportCommand.self, ExportCommand.self, BucketCommand.self,
        ],
        defaultSubcommand: nil
    )
}
