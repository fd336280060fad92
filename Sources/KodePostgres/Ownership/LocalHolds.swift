import KodeKernel
import Synchronization

/// The agents this process owns or is taking, checked without waiting for the owner session.
/// Advisory locks are re-entrant within a session, so a second writer in the same process must be
/// refused here.
final class LocalHolds: Sendable {
    private let ids = Mutex<Set<AgentID>>([])

    /// False when `id` is already held.
    func insert(_ id: AgentID) -> Bool { ids.withLock { $0.insert(id).inserted } }
    func remove(_ id: AgentID) { _ = ids.withLock { $0.remove(id) } }
    func removeAll() { ids.withLock { $0.removeAll() } }
    func contains(_ id: AgentID) -> Bool { ids.withLock { $0.contains(id) } }
}
