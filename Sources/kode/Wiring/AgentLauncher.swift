import Foundation
import KodeKernel

/// Opens a stored agent or creates a new one through the client API.
enum AgentLauncher {
    /// Opens `agentId` (flags override the stored provider for this run only) or creates a new
    /// agent from the flags. Returns the handle and a notice for the user (demo mode).
    static func open(agentId: String?, options: AgentOptions, access: StoreAccess, environment: [String: String], continueTurn: Bool = false) async throws -> (any AgentHandle, String?) {
        do {
            if let agentId {
                let manifest = try await access.hub.manifest(of: agentId)
                let refused = try options.conflicts(with: manifest.config)
                if !refused.isEmpty {
                    throw CLIError.usage("\(refused.joined(separator: ", ")): \(refused.count == 1 ? "this sets" : "these set") up a new agent and cannot change the stored agent \(agentId), whose configuration is fixed in its manifest (see 'kode rules \(agentId)' for its permission rules). Leave \(refused.count == 1 ? "it" : "them") out, or create a new agent without --agent. Only --provider, --model, --base-url and --script change a stored agent, for one run.")
                }
                let overridden = options.provider != nil || options.model != nil || options.baseURL != nil || options.script != nil
                let provider = overridden ? ProviderResolver.override(
                    manifest.config.provider, name: options.provider, model: options.model,
                    baseURL: options.baseURL, script: options.script.map { URL(fileURLWithPath: $0).standardizedFileURL.path }) : nil
                let handle = try await access.hub.open(agentId, options: OpenOptions(provider: provider, continueTurn: continueTurn))
                let demo = (provider ?? manifest.config.provider).name == "demo"
                return (handle, demo ? "using the offline demo model (not a real AI)" : nil)
            }
            let (config, notice) = try options.newConfig(environment: environment, configuration: options.configuration(environment: environment))
            return (try await access.hub.create(config), notice)
        } catch {
            throw ClientFailure.cliError(error)
        }
    }
}
