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

    /// Starts a worker and waits until it answers. `home` separates several workers on one
    /// machine (each its own socket directory, as if on machines of their own).
    public init(url: String, extra: [String] = [], environment: [String: String] = [:]) async throws {
        self.url = url
        paths = HostPaths(storeRoot: WorkerDirectory.root(for: url).standardizedFileURL)
        var environment = environment
        environment["KODE_STORE"] = url
        process = try KodeCLI.start(["serve"] + extra, environment: environment)
        try await HostProcess.waitUntilAnswering(process, at: paths)
    }

    /// A client of this worker.
    public func client() -> RemoteAgentHub { RemoteAgentHub(socketPath: paths.socket) }

    /// SIGTERM, then the exit.
    @discardableResult
    public func stop() async throws -> KodeCLI.Result {
        process.signal(SIGTERM)
        return try await process.finish(timeout: .seconds(120))
    }
}
