import Foundation
import KodeHost
import KodeKernel
#if canImport(Glibc)
import Glibc
#endif

/// Starts a host for a store in the background: this same binary re-executed as `kode serve`,
/// in a session of its own (a hang-up of this terminal does not reach it), with its output in
/// the store's host log.
enum HostLauncher {
    /// Starts the host and returns a hub connected to it once it answers. If a host is already
    /// running (another terminal started one first), returns a hub connected to that one.
    static func start(root: URL, maxOpen: Int = 64, grace: Int = 10) async throws -> RemoteAgentHub {
        let paths = HostPaths(storeRoot: root)
        if let running = try await HostProbe.reach(paths) { return running }
        try paths.prepare()
        let executable = try currentExecutable()
        var environment = ProcessInfo.processInfo.environment
        var store = ["--store", root.path]
        // A PostgreSQL store's URL goes by environment: a password in argv shows in `ps`.
        if let url = PostgresHostDirectory.url(forRoot: root) {
            environment["KODE_STORE"] = url
            store = []
        }
        let arguments = [executable, "serve"] + store + ["--max-open", String(maxOpen), "--grace", String(grace)]
        let pid: pid_t
        do {
            pid = try DetachedSpawn.start(arguments, log: paths.logFile.path, environment: environment)
        } catch {
            throw CLIError.runtime("\(error)")
        }
        // Wait for the host to answer (it binds the socket after taking its lock) or to die.
        while true {
            if let hub = try await HostProbe.reach(paths) { return hub }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                // Another host may have won the race for the lock: use it.
                if let hub = try await HostProbe.reach(paths) { return hub }
                let tail = (try? String(contentsOf: paths.logFile, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
                throw CLIError.runtime("the host could not start (see \(paths.logFile.path)):\n\(tail)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The running binary, so the host is the same build as its client.
    static func currentExecutable() throws -> String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        let argv0 = CommandLine.arguments[0]
        if argv0.contains("/") { return URL(fileURLWithPath: argv0).standardizedFileURL.path }
        throw CLIError.runtime("cannot tell where the kode binary is to start a host")
    }
}
