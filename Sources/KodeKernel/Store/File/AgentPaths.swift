import Foundation

/// Where one agent's files live under a store root (DESIGN §4).
struct AgentPaths: Sendable {
    let directory: String

    init(root: String, id: AgentID) { directory = root + "/agents/" + id }

    var manifest: String { directory + "/manifest.json" }
    var wal: String { directory + "/wal" }
    var snapshots: String { directory + "/snapshots" }
    var lock: String { directory + "/LOCK" }
    func segment(_ number: UInt32) -> String { wal + "/" + LogFormat.segmentName(number) }

    /// The path relative to the store root, for messages that should not leak the root twice.
    func relative(_ path: String, root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}

/// A place in an agent's own log: a segment and a byte offset in it.
struct LogPosition: Sendable, Hashable, Comparable {
    var segment: UInt32
    var offset: UInt64

    static func < (a: LogPosition, b: LogPosition) -> Bool { (a.segment, a.offset) < (b.segment, b.offset) }
}
