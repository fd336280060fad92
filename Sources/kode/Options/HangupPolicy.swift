import ArgumentParser
import KodeConfig

/// What the app does when its terminal hangs up (an SSH connection drops): hand the agent to a
/// host so it keeps working (the default), or stop it as a quit would.
enum HangupPolicy: String, ExpressibleByArgument, CaseIterable, Sendable {
    case detach
    case stop

    /// `--on-hangup`, else `$KODE_ON_HANGUP`, else `[app] on_hangup` of the configuration
    /// (whose schema allows only these values), else `detach`.
    static func resolve(flag: HangupPolicy?, environment: [String: String], configuration: Configuration) throws -> HangupPolicy {
        if let flag { return flag }
        if let value = environment["KODE_ON_HANGUP"], !value.isEmpty {
            guard let policy = HangupPolicy(rawValue: value) else {
                throw CLIError.usage("KODE_ON_HANGUP='\(value)': expected detach or stop")
            }
            return policy
        }
        return configuration.onHangup.value.string.flatMap(HangupPolicy.init(rawValue:)) ?? .detach
    }
}
