import Foundation
import KodeKernel

extension StoreConformance {
    /// A sub-agent's "spawned by" link lives in its manifest: it must round-trip through
    /// `create`, `manifest(of:)`, `list` and `history`, and must not make the child read the
    /// parent's records (that is what a fork's `parent` does, and a sub-agent is no fork).
    static func spawnLink(_ c: Context, _ store: any AgentStore) async throws {
        let parent = sampleManifest()
        try await store.create(parent)
        let writer = try await store.openWriter(parent.id)
        try await writer.append(sampleRecords(from: 1, count: 5), durability: .durable)
        try await writer.close()
        var child = sampleManifest()
        child.spawnedBy = SpawnRef(agentId: parent.id, callId: "call_task", depth: 1)
        try await store.create(child)
        try await c.expect(store.manifest(of: child.id).spawnedBy == child.spawnedBy, "the spawn link does not round-trip through manifest(of:)")
        try await c.expect(store.manifest(of: parent.id).spawnedBy == nil, "a top-level agent came back with a spawn link")
        let listed = try await store.list().first { $0.id == child.id }
        try c.expect(listed?.spawnedBy == child.spawnedBy, "list returned the child with spawn link \(String(describing: listed?.spawnedBy))")
        let history = try await store.history(of: child.id)
        try c.expect(history.manifest == child, "the child's history has another manifest")
        try c.expect(history.records.isEmpty, "a sub-agent read \(history.records.count) records of the agent that spawned it")
    }
}
