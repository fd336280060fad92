import Foundation
import KodeConfig
import KodeKernel

/// Starts the full-screen app on an open agent. The only entry point the CLI needs.
public enum TUILauncher {
    /// Checks the theme and the key configuration before anything is created, so a typo fails
    /// fast with a message naming the file and the entry.
    /// `theme` is the `--theme` flag; without it, `[app] theme` of `configuration`.
    public static func validate(theme: String?, configuration: Configuration) throws {
        let environment = ProcessInfo.processInfo.environment
        _ = try ThemeLoader.load(name: theme ?? configuration.theme.value.string, environment: environment)
        _ = try KeyConfig.keymap(configuration)
    }

    /// Runs the app until the person quits or detaches, the terminal hangs up or the process is
    /// asked to terminate, and restores the terminal. The app reaches agents only through
    /// `hub` and the handles it opens; it releases the handles it opened itself when it
    /// switches away from them, never the one it returns.
    ///
    /// - Parameters:
    ///   - hub: where the agents live (the checkpoint tree lists them; `o` and forks open them).
    ///   - handle: the agent to show first (created or opened by the caller).
    ///   - theme: a theme name or `.toml` path (`nil`: `[app] theme` of the configuration);
    ///     `NO_COLOR` forces mono.
    ///   - configuration: the settings (theme, `[keys]`), from `Configuration.load`.
    ///   - notice: a line to show at start, e.g. that the offline demo model is in use.
    ///   - warnings: problems met before the app started (an MCP server that did not start, a
    ///     skipped skill), shown in the Monitor and, when there is no notice, the status line.
    ///   - hosted: the agent runs in a host process and keeps running after the app exits
    ///     (the status line says `hosted`).
    /// - Returns: why the app ended and the agent shown last, still open: the caller releases
    ///   it or hands it to a host.
    public static func run(hub: any AgentHub, handle: any AgentHandle, theme: String?, configuration: Configuration, notice: String?,
                           warnings: [String] = [], hosted: Bool) async throws -> TUIOutcome {
        let environment = ProcessInfo.processInfo.environment
        let loadedTheme = try ThemeLoader.load(name: theme ?? configuration.theme.value.string, environment: environment)
        let keymap = try KeyConfig.keymap(configuration)
        SignalRelay.install()
        defer { SignalRelay.uninstall() }
        let mouse = configuration["app", "mouse"]?.value.bool ?? false
        let backend = NcursesBackend(theme: loadedTheme, mouse: mouse)
        try backend.start()
        var model: AppModel
        var since: Bookmark
        do {
            (model, since) = try await SessionLoader.model(
                for: handle, width: backend.width, height: backend.height,
                unicode: backend.capabilities.unicode, keymap: keymap, hosted: hosted)
        } catch {
            backend.stop()
            throw error
        }
        let now = Date()
        for warning in warnings { model.monitor.note(warning, role: .warning, at: now) }
        if let notice {
            model.flash(notice, now: now, seconds: 6)
        } else if !warnings.isEmpty {
            model.flash(warnings.count == 1 ? warnings[0] : "\(warnings.count) problems at start: see the Monitor (Errors)", now: now, seconds: 8)
        }
        model.forkMode = configuration.forkMode
        model.notifications = NotificationSettings(configuration)
        model.mouse = mouse
        let loop = AppLoop(backend: backend, hub: hub, handle: handle, model: model, hosted: hosted)
        let post = loop.post
        let reader = InputReader(fd: 0, escapeDelayMs: 25) { input in
            switch input {
            case .input(let e): post(.action(.input(e)))
            case .signal(let s): post(.signal(s))
            }
        }
        let outcome = await loop.run(reader: reader, since: since)
        backend.stop()
        return outcome
    }
}
