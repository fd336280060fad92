import KodeKernel
import Synchronization

/// The writers this process has open, by agent (at most one each: ownership is exclusive).
/// Held weakly: a writer belongs to its agent, this only finds it.
final class OpenWriters: Sendable {
    private struct Weak: @unchecked Sendable {
        weak var writer: PostgresLogWriter?
    }
    private let byAgent = Mutex<[AgentID: Weak]>([:])

    func remember(_ writer: PostgresLogWriter) -> PostgresLogWriter {
        byAgent.withLock { $0[writer.id] = Weak(writer: writer) }
        return writer
    }

    func forget(_ writer: PostgresLogWriter) {
        byAgent.withLock { map in
            if map[writer.id]?.writer === writer { map[writer.id] = nil }
        }
    }

    /// The open writer of `id`, if this process owns it and still may write.
    func writer(of id: AgentID) -> PostgresLogWriter? {
        byAgent.withLock { $0[id]?.writer }
    }
}
