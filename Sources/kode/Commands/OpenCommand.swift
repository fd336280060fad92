import ArgumentParser
import Foundation
import KodeKernel
import KodeTUI

/// `kode` with no subcommand: the full-screen app on a new agent, or on a stored one with
/// `--agent ID` (its transcript, pending approvals and state come back). Through the store's
/// host when one runs, in this process otherwise.
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the full-screen app (the default when no subcommand is given).",
        discussion: """
            Keys: Enter sends, Ctrl+C interrupts (twice quits), Ctrl+D on an empty composer \
            detaches (the agent keeps running in a host), Tab cycles panes, Ctrl+T the \
            checkpoint tree, ? or F1 help. With no API key configured the offline demo model is \
            used and the status line says so. Themes: dark, light, mono or a .toml path; \
            NO_COLOR forces mono.
            """
    )

    @OptionGroup var agentOptions: AgentOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Open a stored agent instead of creating one.", valueName: "id"))
    var agent: String?

    @OptionGroup var appOptions: AppOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try agentOptions.configuration(environment: environment)
        let policy = try appOptions.resolvedHangupPolicy(configuration: configuration)
        let access = try await StoreAccess.connect(storeOptions, workDir: try agentOptions.resolvedWorkDir(), showsWarnings: true)
        let (handle, notice) = try await AgentLauncher.open(agentId: self.agent, options: agentOptions, access: access, environment: environment)
        try await AppSession.run(access: access, handle: handle, theme: appOptions.theme, configuration: configuration, notice: notice, onHangup: policy)
    }
}
