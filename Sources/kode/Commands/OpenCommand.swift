import ArgumentParser
import Foundation
import KodeKernel
import KodeTUI

/// `kode` with no subcommand: the full-screen app on a new agent, or on a stored one with
/// `--agent ID` (its transcript, pending approvals and state come back).
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the full-screen app (the default when no subcommand is given).",
        discussion: """
            Keys: Enter sends, Ctrl+C interrupts (twice quits), Tab cycles panes, Ctrl+T the \
            checkpoint tree, ? or F1 help. With no API key configured the offline demo model is \
            used and the status line says so. Themes: dark, light, mono or a .toml path; \
            NO_COLOR forces mono.
            """
    )

    @OptionGroup var agentOptions: AgentOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Open a stored agent instead of creating one.", valueName: "id"))
    var agent: String?

    @Option(help: ArgumentHelp("Theme: dark, light, mono, or a path to a .toml theme.", valueName: "name"))
    var theme: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        do {
            try TUILauncher.validate(theme: theme)
        } catch {
            throw CLIError.usage("\(error)")
        }
        let store = try storeOptions.open()
        let (agent, notice) = try await EmbeddedAppLauncher.open(agentId: self.agent, options: agentOptions, store: store, environment: environment)
        let options = agentOptions
        let status: Int32
        do {
            status = try await TUILauncher.run(agent: agent, store: store, theme: theme, notice: notice) { id in
                try await EmbeddedAppLauncher.open(agentId: id, options: options, store: store, environment: environment).0
            }
        } catch {
            await agent.close()
            throw CLIError.runtime("\(error)")
        }
        if status != 0 { throw ExitCode(status) }
    }
}
