import Foundation
import KodeKernel
import KodeProviders

/// The app's own way to open agents until it moves to the client API (the next commit).
enum EmbeddedAppLauncher {
    /// Resumes `agentId` (flags override the stored provider for this run only) or creates a new
    /// agent from the flags. Returns the agent and a notice for the user (demo mode).
    static func open(agentId: String?, options: AgentOptions, store: FileStore, environment: [String: String]) async throws -> (Agent, String?) {
        let hooks = try BreakpointFaultInjector.hooks(environment: environment)
        if let agentId {
            let manifest: AgentManifest
            do {
                manifest = try await store.manifest(of: agentId)
            } catch let error as StoreError {
                if case .notFound = error { throw CLIError.usage(error.description) }
                throw CLIError.runtime(error.description)
            }
            let config = ProviderResolver.override(
                manifest.config.provider, name: options.provider, model: options.model,
                baseURL: options.baseURL, script: options.script.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            let provider = try ProviderResolver.make(config, environment: environment)
            do {
                let agent = try await Agent.resume(id: agentId, store: store, provider: provider, hooks: hooks, costEstimator: ProviderResolver.costEstimator)
                return (agent, provider.info.isDemo ? "using the offline demo model (not a real AI)" : nil)
            } catch let error as StoreError {
                throw CLIError.runtime(error.description)
            } catch let error as SandboxError {
                throw CLIError.usage(error.description)
            }
        }
        let (config, notice) = try options.newConfig(environment: environment)
        let provider = try ProviderResolver.make(config.provider, environment: environment)
        do {
            let agent = try await Agent.create(config: config, store: store, provider: provider, hooks: hooks, costEstimator: ProviderResolver.costEstimator)
            return (agent, notice)
        } catch let error as SandboxError {
            throw CLIError.usage(error.description)
        } catch let error as StoreError {
            throw CLIError.runtime(error.description)
        }
    }
}
