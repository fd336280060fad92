import Foundation
import KodeKernel

/// Where this machine's worker for a PostgreSQL store keeps its socket, pid file and log:
/// `/tmp/kode-<uid>/postgres-<digest>/`, in the user's private directory, the digest taken from
/// the URL with its password masked, so every command given the same database finds the same
/// worker and no file name depends on the password.
package enum WorkerDirectory {
    package static func root(for url: String) -> URL {
        let digest = CRC32C.checksum(Array(PostgresURL.redact(url).utf8))
        return URL(fileURLWithPath: HostDirectories.socketFallback).appendingPathComponent("postgres-" + String(digest, radix: 16))
    }
}
