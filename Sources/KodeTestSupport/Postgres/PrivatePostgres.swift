import Foundation

/// A PostgreSQL server of one test's own, for tests that stop and restart the database (the
/// shared `KODE_PG_URL` server must stay up for the others). Started by
/// `scripts/postgres-throwaway.sh`, as `./scripts/test.sh` starts the shared one.
public final class PrivatePostgres: Sendable {
    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    public let url: String
    let directory: String
    let binaries: String

    private init(url: String, directory: String, binaries: String) {
        self.url = url
        self.directory = directory
        self.binaries = binaries
    }

    /// initdb and start (several seconds on a busy disk); with `tls`, the server offers TLS
    /// with a self-signed certificate.
    public static func start(tls: Bool = false) async throws -> PrivatePostgres {
        let script = packageRoot().appendingPathComponent("scripts/postgres-throwaway.sh").path
        let output = try await shell("\(tls ? "export KODE_PG_TLS=1; " : "")source '\(script)' && kode_pg_start >&2 && echo \"$KODE_PG_URL $KODE_PG_DIR $KODE_PG_BIN\"")
        let parts = output.split(separator: " ").map(String.init)
        guard parts.count == 3 else { throw TestTimeout(what: "could not start a private PostgreSQL: \(output)") }
        return PrivatePostgres(url: parts[0], directory: parts[1], binaries: parts[2])
    }

    /// Runs `body` with a server of its own, destroyed afterwards, also when `body` throws.
    public static func with<T>(tls: Bool = false, _ body: (PrivatePostgres) async throws -> T) async throws -> T {
        let server = try await start(tls: tls)
        do {
            let value = try await body(server)
            await server.destroy()
            return value
        } catch {
            await server.destroy()
            throw error
        }
    }

    /// Stops the server (`-m immediate`: as a crash would, no checkpoint).
    public func stop() async throws {
        _ = try await shell("\(asPostgres)'\(binaries)/pg_ctl' -D '\(directory)/data' -m immediate -w stop")
    }

    /// Starts it again on the same port and data.
    public func restart() async throws {
        _ = try await shell("\(asPostgres)'\(binaries)/pg_ctl' -D '\(directory)/data' -l '\(directory)/server.log' -w start")
    }

    /// Stops the server and removes its files.
    public func destroy() async {
        _ = try? await shell("\(asPostgres)'\(binaries)/pg_ctl' -D '\(directory)/data' -m fast -w stop; rm -rf '\(directory)'")
    }

    private var asPostgres: String { getuid() == 0 ? "cd /tmp && runuser -u postgres -- " : "cd /tmp && " }

    private static func packageRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    @discardableResult
    private func shell(_ command: String) async throws -> String { try await Self.shell(command) }

    /// Runs `command` on a thread of its own: waiting for a child must not hold a cooperative thread.
    private static func shell(_ command: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try blockingShell(command) })
            }
        }
    }

    private static func blockingShell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both to the end before waiting, so a chatty child never blocks on a full pipe.
        let errReader = Thread { _ = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        // waitpid rather than waitUntilExit: Foundation was seen to miss the exit of a child
        // that started a daemon (pg_ctl start).
        var status: Int32 = 0
        while waitpid(process.processIdentifier, &status, 0) < 0 && errno == EINTR {}
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else {
            throw TestTimeout(what: "'\(command)' failed (wait status \(status)): \(text)")
        }
        return text
    }
}
