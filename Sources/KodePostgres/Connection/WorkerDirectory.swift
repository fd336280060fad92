import Foundation
import KodeKernel

/// Where this machine's worker for a PostgreSQL store keeps its socket, pid file and log:
/// `/tmp/kode-<uid>/postgres-<digest>/`, in the user's private directory, the digest taken from
/// the URL with its password masked, so every command given the same database finds the same
/// worker and no file name depends on the password. `KODE_WORKER_DIR` puts it elsewhere: several
/// workers of one database on one machine (each with its own), or a command that must not find
/// this machine's worker.
package enum WorkerDirectory {
    package static func root(for url: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let digest = CRC32C.checksum(Array(PostgresURL.redact(url).utf8))
        let base = environment["KODE_WORKER_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? HostDirectories.socketFallback
        return URL(fileURLWithPath: base).appendingPathComponent("postgres-" + String(digest, radix: 16))
    }
}
