import Foundation

extension Agent {
    /// Leaves the agent exactly as a crash would, minus the risk: syncs what was recorded,
    /// kills running tool processes, records nothing more and releases the writer lock.
    /// Pending approvals stay pending; a tool that was running is sealed when the agent is next
    /// opened. Used when a headless run stops at an approval nobody can answer, and when the
    /// app quits mid-turn.
    public func detach() async {
        guard !closed else { return }
        if !pipeline.batch.isEmpty { try? await commit(.durable) }
        closed = true
        files.stop()
        await sandbox.terminateAll()
        turnTask?.cancel()
        wakeDecisionWaiters()
        try? await writer.close()
        failChatWaiters(AgentError.closed)
        bus.finishAll()
    }
}
