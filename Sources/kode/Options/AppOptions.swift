import ArgumentParser
import Foundation
import KodeConfig
import KodeTUI

/// `--theme` and `--on-hangup`, shared by the commands that open the full-screen app.
struct AppOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Theme: dark, light, mono, or a path to a .toml theme.", valueName: "name"))
    var theme: String?

    @Option(name: .customLong("on-hangup"), help: ArgumentHelp("When the terminal hangs up: detach (hand the agent to a host, the default) or stop.", valueName: "detach|stop"))
    var onHangup: HangupPolicy?

    /// Checks the theme and key configuration before anything is opened, and settles the
    /// hang-up policy from the flag, the environment and the configuration files.
    func resolvedHangupPolicy(configuration: Configuration) throws -> HangupPolicy {
        do {
            try TUILauncher.validate(theme: theme, configuration: configuration)
        } catch {
            throw CLIError.usage("\(error)")
        }
        return try HangupPolicy.resolve(flag: onHangup, environment: ProcessInfo.processInfo.environment, configuration: configuration)
    }
}
