import Foundation

/// The one-writer lock of an agent: an exclusive `flock` on `agents/<id>/LOCK`, held for as
/// long as the descriptor stays open. `flock` locks belong to the open file, so a second writer
/// in the same process is refused exactly like one in another process, and the kernel releases
/// the lock when the holder dies (no stale locks after kill -9). The file's text names the
/// holder for the error message a refused writer prints; it is informative only.
struct WriterLock: Sendable {
    let fd: Int32
    let io: any FileIO

    /// Takes the lock or throws `StoreError.locked` naming the holder.
    static func acquire(path: String, agent: AgentID, io: any FileIO) throws -> WriterLock {
        guard let lock = try attempt(path: path, io: io, patience: 20) else {
            throw StoreError.locked(agent, holder: holder(path: path, io: io))
        }
        var text = Array(holderDescription().utf8)
        text.append(UInt8(ascii: "\n"))
        try io.truncate(lock.fd, to: 0)
        try text.withUnsafeBytes { try io.write(lock.fd, $0, at: 0) }
        return lock
    }

    /// Takes the lock if it is free, without recording a holder (for short repairs); nil when held.
    ///
    /// A refusal is retried `patience` times, 5 ms apart: a process being spawned at that moment
    /// (by a tool, in any thread) holds a copy of every descriptor until its `exec` closes the
    /// close-on-exec ones, and so briefly "holds" a lock its parent just released.
    static func attempt(path: String, io: any FileIO, patience: Int = 3) throws -> WriterLock? {
        let fd = try io.open(path, mode: .createReadWrite)
        for attempt in 0...patience {
            if try io.tryLock(fd) { return WriterLock(fd: fd, io: io) }
            if attempt < patience { usleep(5_000) }
        }
        io.close(fd)
        return nil
    }

    /// Releases the lock.
    func release() { io.close(fd) }

    /// Who holds the lock, as its holder wrote it.
    static func holder(path: String, io: any FileIO) -> String {
        let text = (try? io.readFile(path)).map { String(decoding: $0, as: UTF8.self) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "holder unknown; LOCK at \(path)" : text
    }

    /// "pid 123 on host h since 2026-01-01T00:00:00Z".
    static func holderDescription() -> String {
        let info = ProcessInfo.processInfo
        let since = ISO8601DateFormatter().string(from: Date())
        return "pid \(info.processIdentifier) on host \(info.hostName) since \(since)"
    }
}
