import Foundation
import KodeKernel

/// Starts the full-screen app on an open agent. The only entry point the CLI needs.
public enum TUILauncher {
    /// Checks the theme and the key configuration before anything is created, so a typo fails
    /// fast with a message naming the file and the entry.
    public static func validate(theme: String?) throws {
        let environment = ProcessInfo.processInfo.environment
        _ = try ThemeLoader.load(name: theme, environment: environment)
        _ = try KeyConfig.load(environment: environment)
    }

    /// Runs the app until the person quits (exit status 0), the terminal hangs up (129) or the
    /// process is asked to terminate (128 + signal). The agent is closed (synced, lock released)
    /// before this returns, and the terminal is restored.
    ///
    /// - Parameters:
    ///   - agent: the agent to show first (created or resumed by the caller).
    ///   - store: the store it lives in (the checkpoint tree lists every agent in it).
    ///   - theme: a theme name or `.toml` path (`nil`: dark); `NO_COLOR` forces mono.
    ///   - notice: a line to show at start, e.g. that the offline demo model is in use.
    ///   - openAgent: opens another agent of the store for writing (after a fork or `o`),
    ///     with the provider its configuration names.
    public static func run(
        agent: Agent,
        store: any AgentStore,
        theme: String?,
        notice: String? = nil,
        openAgent: @escaping @Sendable (AgentID) async throws -> Agent
    ) async throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let loadedTheme = try ThemeLoader.load(name: theme, environment: environment)
        let keymap = try KeyConfig.load(environment: environment)
        SignalRelay.install()
        defer { SignalRelay.uninstall() }
        let backend = NcursesBackend(theme: loadedTheme)
        try backend.start()
        var model: AppModel
        var since: Bookmark?
        do {
            (model, since) = try await SessionLoader.model(
                for: agent, store: store, width: backend.width, height: backend.height,
                unicode: backend.capabilities.unicode, keymap: keymap)
        } catch {
            backend.stop()
            throw error
        }
        if let notice { model.flash(notice, now: Date(), seconds: 6) }
        let loop = AppLoop(backend: backend, store: store, agent: agent, model: model, openAgent: openAgent)
        let post = loop.post
        let reader = InputReader(fd: 0, escapeDelayMs: 25) { input in
            switch input {
            case .input(let e): post(.action(.input(e)))
            case .signal(let s): post(.signal(s))
            }
        }
        let status = await loop.run(reader: reader, since: since)
        backend.stop()
        return status
    }
}
