import Foundation
import KodeHost
import KodeKernel
import Logging

/// A host running inside the test process on a fresh file store, its agents on a scripted model:
/// the real socket, server and client, without a second process.
public final class InProcessHost: Sendable {
    public let directory: TemporaryDirectory
    public let store: FileStore
    public let runtime: HostRuntime
    public let workDir: URL
    private let running: Task<Void, Never>

    /// Starts a host whose agents all play `script` (the scripted provider's JSON format).
    public init(script: String, maxOpen: Int = 64) async throws {
        directory = try TemporaryDirectory(prefix: "kode-host")
        let root = directory.appending("store")
        store = try FileStore(root: root)
        workDir = directory.appending("work").resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test script")
        let wiring = AgentWiring(makeProvider: { _ in ScriptedProvider(script: parsed) })
        var logger = Logger(label: "kode.host.test")
        logger.logLevel = .warning
        runtime = try await HostRuntime(
            store: store, storeDescription: root.path, paths: HostPaths(storeRoot: root), wiring: wiring,
            options: HostRuntime.Options(maxOpen: maxOpen, grace: .seconds(5)), logger: logger)
        let runtime = self.runtime
        running = Task { await runtime.run() }
    }

    /// The socket clients connect to.
    public var socketPath: String { runtime.paths.socket }

    /// A config for a new agent working in this host's work directory.
    public func config(mode: PermissionMode = .auto) -> AgentConfig {
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: workDir.path)
        config.permission.mode = mode
        return config
    }

    /// A client of this host.
    public func client(name: String = "test") -> RemoteAgentHub {
        RemoteAgentHub(socketPath: socketPath, clientName: name)
    }

    /// Stops gracefully and waits until it has.
    public func stop() async {
        runtime.requestStop(grace: .seconds(5))
        await running.value
    }
}
