import Foundation
import KodeKernel

/// Which agent serves which conversation. The URL names a conversation with a key the client
/// chooses (a user or session id); Kode gives agents ids of its own, so the server remembers
/// the pairing in `<store>/sse-sessions/<key>`, one small file each, written atomically and
/// synced before the agent is used — a restarted server resumes the same agent for the key.
actor SessionDirectory {
    /// A key that is not letters, digits, `-` or `_` (at most 64), so it is safe as a file name.
    struct InvalidKey: Error, CustomStringConvertible {
        var key: String
        var description: String {
            "'\(key.prefix(80))' is not a conversation key: use 1 to 64 letters, digits, '-' or '_'"
        }
    }

    private let directory: URL
    private var known: [String: AgentID] = [:]
    /// Creations in progress, so two first messages for one key make one agent.
    private var creating: [String: Task<AgentID, any Error>] = [:]

    init(storeRoot: URL) throws {
        directory = storeRoot.appendingPathComponent("sse-sessions")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static func validate(_ key: String) throws {
        let allowed = key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F }
        guard !key.isEmpty, key.utf8.count <= 64, allowed else { throw InvalidKey(key: key) }
    }

    /// The agent of `key`, if one was ever made for it.
    func agent(for key: String) throws -> AgentID? {
        try Self.validate(key)
        if let id = known[key] { return id }
        let file = directory.appendingPathComponent(key)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        known[key] = id
        return id
    }

    /// The agent of `key`, made with `create` (and remembered durably) when there is none yet.
    func agent(for key: String, orCreate create: @escaping @Sendable () async throws -> AgentID) async throws -> (id: AgentID, created: Bool) {
        if let id = try agent(for: key) { return (id, false) }
        if let pending = creating[key] { return (try await pending.value, false) }
        let file = directory.appendingPathComponent(key)
        let task = Task<AgentID, any Error> {
            let id = try await create()
            try DurableFile.save(Data(id.utf8), to: file)
            return id
        }
        creating[key] = task
        defer { creating[key] = nil }
        let id = try await task.value
        known[key] = id
        return (id, true)
    }
}

/// Writes a small file so that after a crash it is either absent or complete: a temporary
/// file, synced, renamed over the target, then the directory synced.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func save(_ data: Data, to url: URL) throws {
        let temporary = url.path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temporary): errno \(errno)") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else { throw Failure(description: "cannot write \(temporary): errno \(errno)") }
        guard rename(temporary, url.path) == 0 else { throw Failure(description: "cannot rename \(temporary) to \(url.path): errno \(errno)") }
        let dir = open(url.deletingLastPathComponent().path, O_RDONLY)
        guard dir >= 0 else { throw Failure(description: "cannot open \(url.deletingLastPathComponent().path): errno \(errno)") }
        defer { close(dir) }
        guard fsync(dir) == 0 else { throw Failure(description: "cannot sync \(url.deletingLastPathComponent().path): errno \(errno)") }
    }
}
