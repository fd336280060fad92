import Foundation
import KodeHost
import KodeKernel
import KodePostgres

/// A real `kode serve --store postgres://…` worker for end-to-end tests, ready once its socket
/// answers. The URL goes by `KODE_STORE`, as a worker started in the background gets it.
public final class WorkerProcess: Sendable {
    public let process: RunningProcess
    public let url: String
    public let paths: HostPaths

    /// The `KODE_WORKER_DIR` it was started with (nil: this machine's default).
    public let workerDirectory: String?

    /// Starts a worker and waits until it answers. `workerDirectory` separates several workers
    /// on one machine (each its own socket directory, as if on machines of their own).
    public init(url: String, workerDirectory: String? = nil, extra: [String] = [], environment: [String: String] = [:]) async throws {
        self.url = url
        self.workerDirectory = workerDirectory
        var environment = environment
        if let workerDirectory { environment["KODE_WORKER_DIR"] = workerDirectory }
        paths = HostPaths(storeRoot: WorkerDirectory.root(for: url, environment: environment).standardizedFileURL)
        environment["KODE_STORE"] = url
        process = try KodeCLI.start(["serve"] + extra, environment: environment)
        try await HostProcess.waitUntilAnswering(process, at: paths)
    }

    /// A client of this worker.
    public func client() -> RemoteAgentHub { RemoteAgentHub(socketPath: paths.socket) }

    /// The environment a command needs to reach this worker (and no other on this machine).
    public var clientEnvironment: [String: String] {
        var environment = ["KODE_STORE": url]
        if let workerDirectory { environment["KODE_WORKER_DIR"] = workerDirectory }
        return environment
    }

    /// SIGKILL: the worker dies mid-whatever, as in a power cut.
    @discardableResult
    public func kill() async throws -> KodeCLI.Result {
        process.signal(SIGKILL)
        return try await process.finish(timeout: .seconds(60))
    }

    /// SIGTERM, then the exit.
    @discardableResult
    public func stop() async throws -> KodeCLI.Result {
        process.signal(SIGTERM)
        return try await process.finish(timeout: .seconds(120))
    }
}
