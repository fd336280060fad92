import ArgumentParser
import Foundation
import KodeKernel
import Synchronization

/// How the room commands answer approval requests of the members: nobody sits at a headless
/// room, so each request is decided by the flag (a denial reaches the model as a tool result,
/// and the conversation goes on).
enum RoomApproval: String, ExpressibleByArgument, CaseIterable {
    case allow
    case deny
}

/// Answers every member's approval requests (those left pending by an earlier run too).
final class RoomApprovals: Sendable {
    let policy: RoomApproval
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(policy: RoomApproval) {
        self.policy = policy
    }

    func watch(_ agent: Agent) {
        let decision: DecisionKind = policy == .allow ? .allow : .deny
        let note = policy == .allow ? nil : "denied by kode room (--approve deny)"
        let task = Task {
            let events = agent.subscribe(kinds: [.permissionRequired])
            for call in await agent.status().pendingApprovals {
                try? await agent.decide(call.id, decision, note: note, by: "kode room")
            }
            for await envelope in events {
                if case .permissionRequired(let e) = envelope.event {
                    try? await agent.decide(e.callId, decision, note: note, by: "kode room")
                }
            }
        }
        tasks.withLock { $0.append(task) }
    }

    func stop() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}
