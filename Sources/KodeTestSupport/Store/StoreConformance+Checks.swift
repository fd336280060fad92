import Foundation
import KodeKernel

extension StoreConformance {
    static func createListManifest(_ c: Context, _ store: any AgentStore) async throws {
        try await c.expect(store.list().isEmpty, "a new store lists agents")
        let a = sampleManifest(), b = sampleManifest()
        try await store.create(a)
        try await store.create(b)
        try await c.expect(store.manifest(of: a.id) == a, "manifest does not round-trip")
        let listed = try await store.list()
        try c.expect(Set(listed.map(\.id)) == [a.id, b.id], "list returned \(listed.map(\.id))")
        try await c.expectThrows("creating an existing id", { try await store.create(a) }) {
            ($0 as? StoreError) == .alreadyExists(a.id)
        }
    }

    static func appendReadOrder(_ c: Context, _ store: any AgentStore) async throws {
        let m = sampleManifest()
        try await store.create(m)
        let writer = try await store.openWriter(m.id)
        let records = sampleRecords(from: 1, count: 30)
        try await writer.append(Array(records[0..<10]), durability: .durable)
        try await writer.append(Array(records[10..<20]), durability: .buffered)
        for record in records[20...] { try await writer.append([record], durability: .durable) }
        try await writer.sync()
        try await c.expect(store.records(of: m.id, after: 0) == records, "records differ while the writer is open")
        try await writer.close()
        let history = try await store.history(of: m.id)
        try c.expect(history.records == records, "history has \(history.records.count) records, expected \(records.count)")
        try c.expect(history.snapshot == nil, "history has a snapshot nobody wrote")
        try c.expect(history.manifest == m, "history's manifest differs")
        try c.expect(history.repairs.isEmpty, "a clean log reported repairs \(history.repairs)")
    }

    static func recordsAfter(_ c: Context, _ store: any AgentStore) async throws {
        let m = sampleManifest()
        try await store.create(m)
        let writer = try await store.openWriter(m.id)
        let records = sampleRecords(from: 1, count: 50)
        try await writer.append(records, durability: .durable)
        for after: UInt64 in [0, 1, 17, 49, 50, 99] {
            let got = try await store.records(of: m.id, after: after)
            try c.expect(got == records.filter { $0.seq > after }, "records(after: \(after)) returned \(got.count) records")
        }
        // Tailing: what was appended since the last poll, and nothing else.
        let more = sampleRecords(from: 51, count: 5)
        try await writer.append(more, durability: .buffered)
        try await c.expect(store.records(of: m.id, after: 50) == more, "tail after 50 is not the new records")
        try await writer.close()
    }

    static func seqStrictlyIncreasing(_ c: Context, _ store: any AgentStore) async throws {
        let m = sampleManifest()
        try await store.create(m)
        let writer = try await store.openWriter(m.id)
        try await writer.append(sampleRecords(from: 5, count: 3), durability: .durable)
        try await c.expectThrows("appending a seq already used", {
            try await writer.append(sampleRecords(from: 7, count: 1), durability: .durable)
        }, matching: { $0 is StoreError })
        try await c.expectThrows("appending seqs out of order in one batch", {
            try await writer.append(sampleRecords(from: 20, count: 1) + sampleRecords(from: 10, count: 1), durability: .durable)
        }, matching: { $0 is StoreError })
        try await writer.append(sampleRecords(from: 8, count: 1), durability: .durable)
        try await writer.close()
        let seqs = try await store.records(of: m.id, after: 0).map(\.seq)
        try c.expect(seqs == [5, 6, 7, 8], "stored seqs \(seqs)")
        // A writer opened later continues after the stored seqs.
        let again = try await store.openWriter(m.id)
        try await c.expectThrows("a reopened writer accepting an old seq", {
            try await again.append(sampleRecords(from: 8, count: 1), durability: .durable)
        }, matching: { $0 is StoreError })
        try await again.close()
    }

    static func forkLineage(_ c: Context, _ store: any AgentStore) async throws {
        let parent = sampleManifest()
        try await store.create(parent)
        let pw = try await store.openWriter(parent.id)
        let prefix = sampleRecords(from: 1, count: 10)
        try await pw.append(prefix, durability: .durable)
        let child = sampleManifest(parent: ParentRef(agentId: parent.id, seq: 6))
        try await store.create(child)
        // The parent keeps going after the fork; the child must not see it.
        try await pw.append(sampleRecords(from: 11, count: 5), durability: .durable)
        try await pw.close()
        let cw = try await store.openWriter(child.id)
        try await c.expectThrows("a child appending at or below its fork seq", {
            try await cw.append(sampleRecords(from: 6, count: 1), durability: .durable)
        }, matching: { $0 is StoreError })
        let own = sampleRecords(from: 7, count: 4).map { LogRecord(seq: $0.seq, timestamp: $0.timestamp, body: .inputQueued(QueuedInput(id: "child_\($0.seq)", text: "child"))) }
        try await cw.append(own, durability: .durable)
        try await cw.close()
        let expected = Array(prefix[0..<6]) + own
        try await c.expect(store.history(of: child.id).records == expected, "child history is not parent prefix + own records")
        try await c.expect(store.records(of: child.id, after: 4) == Array(expected[4...]), "child records(after: 4) wrong")
        try await c.expect(store.records(of: parent.id, after: 0).count == 15, "parent lost records to the fork")
    }

    static func forkOfFork(_ c: Context, _ store: any AgentStore) async throws {
        let a = sampleManifest()
        try await store.create(a)
        let aw = try await store.openWriter(a.id)
        try await aw.append(sampleRecords(from: 1, count: 20), durability: .durable)
        try await aw.close()
        let b = sampleManifest(parent: ParentRef(agentId: a.id, seq: 10))
        try await store.create(b)
        let bw = try await store.openWriter(b.id)
        try await bw.append(sampleRecords(from: 11, count: 10), durability: .durable)
        try await bw.close()
        // Forking b at 15 takes a's 1…10 and b's 11…15.
        let grandchild = sampleManifest(parent: ParentRef(agentId: b.id, seq: 15))
        try await store.create(grandchild)
        let gw = try await store.openWriter(grandchild.id)
        try await gw.append(sampleRecords(from: 16, count: 2), durability: .durable)
        try await gw.close()
        let seqs = try await store.history(of: grandchild.id).records.map(\.seq)
        try c.expect(seqs == Array(1...17), "grandchild sees seqs \(seqs)")
        // A fork below the parent's own fork point reaches straight into the grandparent.
        let early = sampleManifest(parent: ParentRef(agentId: b.id, seq: 4))
        try await store.create(early)
        try await c.expect(store.records(of: early.id, after: 0).map(\.seq) == [1, 2, 3, 4], "fork below the parent's fork seq")
    }

    static func snapshots(_ c: Context, _ store: any AgentStore) async throws {
        let m = sampleManifest()
        try await store.create(m)
        let writer = try await store.openWriter(m.id)
        let records = sampleRecords(from: 1, count: 40)
        try await writer.append(Array(records[0..<20]), durability: .durable)
        try await writer.writeSnapshot(StoredSnapshot(seq: 20, data: Data("state@20".utf8)))
        try await writer.append(Array(records[20..<30]), durability: .durable)
        try await writer.writeSnapshot(StoredSnapshot(seq: 30, data: Data("state@30".utf8)))
        try await writer.append(Array(records[30...]), durability: .buffered)
        try await writer.close()
        let history = try await store.history(of: m.id)
        try c.expect(history.snapshot == StoredSnapshot(seq: 30, data: Data("state@30".utf8)), "history did not use the newest snapshot")
        try c.expect(history.records == Array(records[30...]), "history after the snapshot has seqs \(history.records.map(\.seq))")
        try await c.expect(store.records(of: m.id, after: 0) == records, "a snapshot hid records from records(after:)")
    }

    static func forkUsesAncestorSnapshot(_ c: Context, _ store: any AgentStore) async throws {
        let parent = sampleManifest()
        try await store.create(parent)
        let pw = try await store.openWriter(parent.id)
        try await pw.append(sampleRecords(from: 1, count: 10), durability: .durable)
        try await pw.writeSnapshot(StoredSnapshot(seq: 10, data: Data("p@10".utf8)))
        try await pw.append(sampleRecords(from: 11, count: 10), durability: .durable)
        try await pw.writeSnapshot(StoredSnapshot(seq: 20, data: Data("p@20".utf8)))
        try await pw.close()
        let child = sampleManifest(parent: ParentRef(agentId: parent.id, seq: 15))
        try await store.create(child)
        let history = try await store.history(of: child.id)
        let usable = history.snapshot == nil || history.snapshot!.seq <= 15
        try c.expect(usable, "the child used the parent's snapshot at \(history.snapshot!.seq), past its fork seq 15")
        let replayFrom = history.snapshot?.seq ?? 0
        try c.expect(history.records.map(\.seq) == Array((replayFrom + 1)...15), "child history records \(history.records.map(\.seq)) after snapshot \(replayFrom)")
        let cw = try await store.openWriter(child.id)
        try await cw.append(sampleRecords(from: 16, count: 2), durability: .durable)
        try await cw.writeSnapshot(StoredSnapshot(seq: 17, data: Data("c@17".utf8)))
        try await cw.close()
        let after = try await store.history(of: child.id)
        try c.expect(after.snapshot == StoredSnapshot(seq: 17, data: Data("c@17".utf8)) && after.records.isEmpty, "the child's own snapshot was not preferred")
    }

    static func oneWriter(_ c: Context, _ store: any AgentStore) async throws {
        let m = sampleManifest()
        try await store.create(m)
        let first = try await store.openWriter(m.id)
        try await c.expectThrows("a second writer", { try await store.openWriter(m.id) }) {
            if case .locked(let id, let holder) = $0 as? StoreError { return id == m.id && !holder.isEmpty }
            return false
        }
        // Readers never need the lock.
        try await first.append(sampleRecords(from: 1, count: 3), durability: .durable)
        try await c.expect(store.records(of: m.id, after: 0).count == 3, "a reader was blocked by the writer")
        _ = try await store.history(of: m.id)
        try await first.close()
        let second = try await store.openWriter(m.id)
        try await second.append(sampleRecords(from: 4, count: 1), durability: .durable)
        try await second.close()
        try await c.expect(store.records(of: m.id, after: 0).map(\.seq) == [1, 2, 3, 4], "the second writer's records")
    }

    static func deleteWithChildrenRefused(_ c: Context, _ store: any AgentStore) async throws {
        let parent = sampleManifest()
        try await store.create(parent)
        let pw = try await store.openWriter(parent.id)
        try await pw.append(sampleRecords(from: 1, count: 3), durability: .durable)
        try await pw.close()
        let child = sampleManifest(parent: ParentRef(agentId: parent.id, seq: 2))
        try await store.create(child)
        try await c.expectThrows("deleting a parent", { try await store.delete(parent.id) }) {
            ($0 as? StoreError) == .hasChildren(parent.id, children: [child.id])
        }
        try await c.expect(store.records(of: child.id, after: 0).count == 2, "a refused delete damaged the lineage")
        try await store.delete(child.id)
        try await store.delete(parent.id)
        try await c.expect(store.list().isEmpty, "deleted agents are still listed")
        try await c.expectThrows("reading a deleted agent", { try await store.history(of: parent.id) }) {
            ($0 as? StoreError) == .notFound(parent.id)
        }
    }

    static func unknownAgent(_ c: Context, _ store: any AgentStore) async throws {
        let missing = AgentManifest.newID()
        let isNotFound: (any Error) -> Bool = { ($0 as? StoreError) == .notFound(missing) }
        try await c.expectThrows("manifest of an unknown agent", { try await store.manifest(of: missing) }, matching: isNotFound)
        try await c.expectThrows("history of an unknown agent", { try await store.history(of: missing) }, matching: isNotFound)
        try await c.expectThrows("records of an unknown agent", { try await store.records(of: missing, after: 0) }, matching: isNotFound)
        try await c.expectThrows("openWriter of an unknown agent", { try await store.openWriter(missing) }, matching: isNotFound)
        try await c.expectThrows("delete of an unknown agent", { try await store.delete(missing) }, matching: isNotFound)
        let orphan = sampleManifest(parent: ParentRef(agentId: missing, seq: 1))
        try await c.expectThrows("forking an unknown parent", { try await store.create(orphan) }, matching: isNotFound)
    }
}
