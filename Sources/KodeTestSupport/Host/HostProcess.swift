import Foundation
import KodeHost
import KodeKernel

/// A real `kode serve` process on a store, for end-to-end tests: started in the foreground as
/// a child, ready once its socket answers, stopped with SIGTERM or killed with SIGKILL.
public final class HostProcess: Sendable {
    public let process: RunningProcess
    public let store: String
    public let paths: HostPaths

    /// Starts a host and waits until it answers.
    public init(store: String, extra: [String] = [], environment: [String: String] = [:]) async throws {
        self.store = store
        paths = HostPaths(storeRoot: URL(fileURLWithPath: store).standardizedFileURL)
        process = try KodeCLI.start(["serve", "--store", store] + extra, environment: environment)
        try await waitUntilAnswering()
    }

    /// Waits for the socket to answer a handshake (the event that means "ready"); fails early
    /// with the host's output if the process exits first.
    private func waitUntilAnswering() async throws {
        try await Self.waitUntilAnswering(process, at: paths)
    }

    /// Waits until a `kode serve` started as `process` answers a handshake on `paths`' socket.
    public static func waitUntilAnswering(_ process: RunningProcess, at paths: HostPaths) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let hub = RemoteAgentHub(socketPath: paths.socket)
            if (try? await hub.connect()) != nil {
                await hub.disconnect()
                return
            }
            if process.hasExited {
                let result = try await process.finish()
                throw TestTimeout(what: "kode serve exited with \(result.status) before answering: \(result.stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestTimeout(what: "kode serve did not answer on \(paths.socket)")
    }

    /// A client of this host.
    public func client() -> RemoteAgentHub { RemoteAgentHub(socketPath: paths.socket) }

    /// SIGTERM, then the exit.
    @discardableResult
    public func stop() async throws -> KodeCLI.Result {
        process.signal(SIGTERM)
        return try await process.finish(timeout: .seconds(120))
    }

    /// SIGKILL: the host dies as in a power cut, mid-whatever it was doing.
    @discardableResult
    public func kill() async throws -> KodeCLI.Result {
        process.signal(SIGKILL)
        return try await process.finish(timeout: .seconds(60))
    }
}
