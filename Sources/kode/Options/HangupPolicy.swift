import ArgumentParser
import Foundation
import KodeTUI

/// What the app does when its terminal hangs up (an SSH connection drops): hand the agent to a
/// host so it keeps working (the default), or stop it as a quit would.
enum HangupPolicy: String, ExpressibleByArgument, CaseIterable, Sendable {
    case detach
    case stop

    /// `--on-hangup`, else `$KODE_ON_HANGUP`, else `on_hangup` in the user's config.toml
    /// (`~/.config/kode/config.toml` or under `$XDG_CONFIG_HOME`), else `detach`.
    static func resolve(flag: HangupPolicy?, environment: [String: String]) throws -> HangupPolicy {
        if let flag { return flag }
        if let value = environment["KODE_ON_HANGUP"], !value.isEmpty {
            guard let policy = HangupPolicy(rawValue: value) else {
                throw CLIError.usage("KODE_ON_HANGUP='\(value)': expected detach or stop")
            }
            return policy
        }
        let file = ThemeLoader.configDirectory(environment).appendingPathComponent("config.toml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return .detach }
        let document: TOMLSubset.Document
        do {
            document = try TOMLSubset.parse(text, file: file.path)
        } catch {
            throw CLIError.usage("\(error)")
        }
        guard let entry = document[""]?["on_hangup"] else { return .detach }
        guard let value = entry.string else {
            throw CLIError.usage("\(file.path): on_hangup must be a string, \"detach\" or \"stop\"")
        }
        guard let policy = HangupPolicy(rawValue: value) else {
            throw CLIError.usage("\(file.path): on_hangup = \"\(value)\": expected \"detach\" or \"stop\"")
        }
        return policy
    }
}
