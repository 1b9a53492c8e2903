import ArgumentParser

/// The `cutroom` binary: the server and the engine's command-line tools.
@main
struct Cutroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutroom",
        abstract: "Self-hosted video editor and render server.",
        subcommands: [ServeCommand.self, RenderCommand.self, ProbeCommand.self, ValidateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
