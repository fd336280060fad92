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
        let wiring = AgentWiring(
            makeProvider: { try ProviderResolver.make($0, environment: environment) },
            hooks: try BreakpointFaultInjector.hooks(environment: environment),
            costEstimator: ProviderResolver.costEstimator)
        let hub = LocalAgentHub(store: store, wiring: wiring, retention: .closeWhenReleased)
        let (handle, notice) = try await open(in: hub, store: store, environment: environment)
        let outcome: TUIOutcome
        do {
            outcome = try await TUILauncher.run(hub: hub, handle: handle, theme: theme, notice: notice, hosted: false)
        } catch {
            await handle.release(.leave)
            throw CLIError.runtime("\(error)")
        }
        // Embedded: a quit closes the agent (detached if mid-turn); anything else detaches it.
        await outcome.handle.release(outcome.reason == .quit ? .leave : .detach)
        switch outcome.reason {
        case .quit, .detach: break
        case .hangUp: throw ExitCode(129)
        case .signal(let sig): throw ExitCode(128 + sig)
        }
    }

    /// The agent of `--agent` (with the provider flags applied) or a new one.
    private func open(in hub: LocalAgentHub, store: FileStore, environment: [String: String]) async throws -> (any AgentHandle, String?) {
        do {
            if let agentId = self.agent {
                let manifest: AgentManifest
                do {
                    manifest = try await store.manifest(of: agentId)
                } catch let error as StoreError {
                    if case .notFound = error { throw CLIError.usage(error.description) }
                    throw CLIError.runtime(error.description)
                }
                let config = ProviderResolver.override(
                    manifest.config.provider, name: agentOptions.provider, model: agentOptions.model,
                    baseURL: agentOptions.baseURL, script: agentOptions.script.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
                let handle = try await hub.open(agentId, options: OpenOptions(provider: config))
                let demo = try await handle.status().provider.isDemo
                return (handle, demo ? "using the offline demo model (not a real AI)" : nil)
            }
            let (config, notice) = try agentOptions.newConfig(environment: environment)
            return (try await hub.create(config), notice)
        } catch let error as StoreError {
            throw CLIError.runtime(error.description)
        } catch let error as SandboxError {
            throw CLIError.usage(error.description)
        } catch let error as ClientError {
            throw CLIError.usage(error.description)
        }
    }
}
