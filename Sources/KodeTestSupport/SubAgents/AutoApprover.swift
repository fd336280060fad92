import Foundation
import KodeKernel

/// Allows every approval request an agent publishes — its own and those relayed from its
/// sub-agents (`CHILD_ID/CALL_ID`) — by deciding it on that agent, as a person at the app would.
/// Replays from the start of the log, so requests re-published by a resume are answered too;
/// decisions that are no longer pending (or an agent that stopped) are ignored.
public final class AutoApprover: Sendable {
    private let task: Task<Void, Never>
    private let stream: AgentEventStream

    /// Starts answering `agent`'s requests.
    public init(_ agent: Agent) {
        let stream = agent.subscribe(channels: [.control], since: Bookmark(seq: 0, timestamp: Date(timeIntervalSince1970: 0)), kinds: [.permissionRequired])
        self.stream = stream
        task = Task {
            for await envelope in stream {
                guard case .permissionRequired(let request) = envelope.event else { continue }
                try? await agent.decide(request.callId, .allow, note: nil, scope: .once, by: "test")
            }
        }
    }

    /// Stops answering.
    public func stop() {
        stream.cancel()
        task.cancel()
    }
}
