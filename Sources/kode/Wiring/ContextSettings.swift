import Foundation
import KodeConfig
import KodeKernel

/// The `[context]` settings (compaction, reminders, context windows) for agents this process
/// runs, from the configuration of the current directory. A bad value is a usage error naming
/// the file, the line and the key.
enum ContextSettings {
    static func policy(environment: [String: String]) throws -> ContextPolicy {
        let configuration = try AgentOptions.configuration(environment: environment, workDir: nil)
        do {
            return try configuration.contextPolicy()
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}
