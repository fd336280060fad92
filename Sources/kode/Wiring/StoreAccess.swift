import Foundation
import KodeConfig
import KodeHost
import KodeKernel
import KodePostgres

/// How a command reaches the store's agents: through the store's host when one answers on its
/// socket (no lock errors, the agent keeps running after the command ends), otherwise in this
/// process exactly as before a host existed.
struct StoreAccess {
    /// Whether agents opened here need a model (a turn) or never call one (approve, label).
    enum Models {
        case resolve
        case none
    }

    let hub: any AgentHub
    /// The agents run in a host process, not in this one.
    let hosted: Bool
    let root: URL
    let paths: HostPaths
    /// What went wrong loading the configuration's extras (an MCP server that did not start, a
    /// skill skipped), already sanitized; printed on stderr unless the caller shows them itself.
    var warnings: [String] = []

    /// The store's directory from `--store`, `$KODE_STORE` or `./.kode`. For a PostgreSQL store,
    /// the local directory where this machine's worker for it keeps its socket
    /// (`PostgresHostDirectory`).
    static func root(_ options: StoreOptions) -> URL {
        if let url = options.postgresURL { return PostgresHostDirectory.root(for: url) }
        return options.store.map { URL(fileURLWithPath: $0) } ?? FileStore.defaultRoot(environment: ProcessInfo.processInfo.environment)
    }

    /// `workDir` is where the configuration's MCP servers and the project's skills are looked for
    /// (the current directory when nil).
    /// `showsWarnings`: the caller shows `warnings` itself (the app, whose screen would hide
    /// or garble lines on stderr).
    static func connect(_ options: StoreOptions, models: Models = .resolve, workDir: String? = nil, showsWarnings: Bool = false) async throws -> StoreAccess {
        let root = Self.root(options).standardizedFileURL
        let paths = HostPaths(storeRoot: root)
        if let remote = try await HostProbe.reach(paths) {
            return StoreAccess(hub: remote, hosted: true, root: root, paths: paths)
        }
        let store = try await options.openAnyStore()
        let environment = ProcessInfo.processInfo.environment
        let hooks = try BreakpointFaultInjector.hooks(environment: environment)
        var wiring: AgentWiring
        var warnings: [String] = []
        switch models {
        case .resolve:
            let context = try ContextSettings.policy(environment: environment)
            let external = try await ExternalTools.load(environment: environment, workDir: workDir) { warning in
                warnings.append(warning)
                if !showsWarnings { ExternalTools.warn(warning) }
            }
            wiring = AgentWiring(
                makeProvider: { try ProviderResolver.make($0, environment: environment) },
                tools: { external.registry },
                hooks: hooks, costEstimator: ProviderResolver.costEstimator, context: context,
                projectRules: ProjectRuleFile(environment: environment))
        case .none:
            wiring = AgentWiring(makeProvider: { NoModelProvider(info: ProviderInfo(name: $0.name, model: $0.model)) },
                                 projectRules: ProjectRuleFile(environment: environment))
            wiring.continuesAfterDecisions = false
        }
        let local = LocalAgentHub(store: store, wiring: wiring, retention: .closeWhenReleased)
        // On a database, an agent a worker owns is reached through its command inbox.
        let hub: any AgentHub = (store as? PostgresStore).map { WorkerAgentHub(local: local, store: $0, worker: nil) } ?? local
        return StoreAccess(hub: hub, hosted: false, root: root, paths: paths, warnings: warnings)
    }
}

/// Finds out whether a host serves the store.
enum HostProbe {
    /// A connected hub when a host answers; `nil` when none runs (no socket, or a socket left
    /// by a host that died). A host that answers but refuses (another user, another protocol
    /// version) is an error: running embedded instead would only meet its locks.
    static func reach(_ paths: HostPaths) async throws -> RemoteAgentHub? {
        guard FileManager.default.fileExists(atPath: paths.socket) else { return nil }
        let hub = RemoteAgentHub(socketPath: paths.socket)
        do {
            try await hub.connect()
            return hub
        } catch is SocketError {
            // ECONNREFUSED or ENOENT: nobody listens there any more.
            return nil
        } catch ClientError.disconnected {
            // A host on its way down.
            return nil
        } catch {
            throw CLIError.runtime("the host for this store refused the connection: \(error)")
        }
    }
}

/// Client API failures as the CLI's exit codes: a bad id or bad input is usage (2), the rest
/// runtime (1).
enum ClientFailure {
    static func cliError(_ error: any Error) -> CLIError {
        switch error {
        case let e as CLIError: return e
        case let e as StoreError:
            if case .notFound = e { return .usage(e.description) }
            return .runtime(e.description)
        case let e as SandboxError: return .usage(e.description)
        case let e as AgentError: return .runtime(e.description)
        case let e as ClientError:
            if case .host(let code, let message) = e {
                return ["not_found", "bad_arguments", "provider"].contains(code) ? .usage(message) : .runtime(message)
            }
            return .runtime(e.description)
        default: return .runtime("\(error)")
        }
    }
}

extension StoreAccess {
    /// Opens `agentId` through the hub for a command that acts on it, with the client's errors
    /// turned into the CLI's (a missing agent is a usage error, a busy one names its holder).
    func openAgent(_ agentId: String) async throws -> any AgentHandle {
        do {
            return try await hub.open(agentId, options: OpenOptions())
        } catch {
            throw ClientFailure.cliError(error)
        }
    }

    /// Opens `agentId`, runs `body` on it and lets it go (`release(.leave)`) however `body` ends:
    /// the pattern of every command that acts on one stored agent. An error of `body` reaches
    /// the person as `failure` makes it (the client's errors as the CLI's by default).
    func withAgent<T>(
        _ agentId: String, failure: (any Error) -> CLIError = ClientFailure.cliError,
        _ body: (any AgentHandle) async throws -> T
    ) async throws -> T {
        let agent = try await openAgent(agentId)
        do {
            let result = try await body(agent)
            await agent.release(.leave)
            return result
        } catch {
            await agent.release(.leave)
            throw failure(error)
        }
    }
}
