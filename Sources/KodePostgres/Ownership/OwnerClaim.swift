import KodeKernel
import Synchronization

/// One agent owned by this process: the fencing epoch its appends are conditional on, and,
/// once ownership is gone, why.
final class OwnerClaim: Sendable {
    let id: AgentID
    let epoch: Int64
    /// The agent's last stored seq when ownership was taken.
    let lastSeq: UInt64
    private let lostReason = Mutex<String?>(nil)

    init(id: AgentID, epoch: Int64, lastSeq: UInt64) {
        self.id = id
        self.epoch = epoch
        self.lastSeq = lastSeq
    }

    /// Why ownership is gone (nil while it holds).
    var lost: String? { lostReason.withLock { $0 } }

    /// Marks ownership lost; the first reason wins.
    func markLost(_ reason: String) {
        lostReason.withLock { if $0 == nil { $0 = reason } }
    }
}
