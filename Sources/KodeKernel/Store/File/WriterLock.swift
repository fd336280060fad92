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
        guard let lock = try attempt(path: path, io: io) else {
            throw StoreError.locked(agent, holder: holder(path: path, io: io))
        }
        var text = Array(holderDescription().utf8)
        text.append(UInt8(ascii: "\n"))
        try io.truncate(lock.fd, to: 0)
        try text.withUnsafeBytes { try io.write(lock.fd, $0, at: 0) }
        return lock
    }

    /// Takes the lock if it is free, without recording a holder (for short repairs); nil when held.
    static func attempt(path: String, io: any FileIO) throws -> WriterLock? {
        let fd = try io.open(path, mode: .createReadWrite)
        guard try tryLockBriefly(fd, io: io) else {
            io.close(fd)
            return nil
        }
        return WriterLock(fd: fd, io: io)
    }

    /// Tries the lock a few times over about 50 ms. A lock that looks held for an instant is
    /// usually not a writer at all: while any thread of this process forks a child (a tool, a
    /// test's subprocess), the child shares every open file description until it execs, and
    /// with it a flock this process just released.
    static func tryLockBriefly(_ fd: Int32, io: any FileIO) throws -> Bool {
        for attempt in 0..<10 {
            if try io.tryLock(fd) { return true }
            if attempt < 9 { usleep(5_000) }
        }
        return false
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
        // Written at every open (a sub-agent's too): the format style is far cheaper than a new
        // `ISO8601DateFormatter`, and the host name is looked up once.
        "pid \(ProcessInfo.processInfo.processIdentifier) on host \(hostName) since \(Date().formatted(.iso8601))"
    }

    private static let hostName = ProcessInfo.processInfo.hostName
}
