import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Read-only after a storage failure")
struct ReadOnlyTests {
    static let script = #"{"turns":[{"text":"one"},{"text":"two"},{"text":"three"}]}"#

    @Test("the live-only fatal error takes no seq, so the next writer reuses none")
    func noSeqIsReused() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-readonly")
        let disk = CrashSimulatingFileIO()
        let h = try await AgentHarness.make(script: Self.script, store: try FileStore(root: directory.url, io: disk))
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.chat("first")
        disk.failSyncs = true
        await #expect(throws: AgentError.self) { try await h.agent.send("second") }
        let fatal = try await recorder.wait { $0.event.errorEvent?.severity == .fatal }
        #expect(fatal.seq == EventEnvelope.liveOnlySeq)
        await h.agent.close()
        recorder.stop()
        disk.failSyncs = false

        let script = try ScriptedScript.parse(Data(Self.script.utf8), source: "test script")
        let resumed = try await Agent.resume(
            id: h.agent.id, store: try FileStore(root: directory.url), provider: ScriptedProvider(script: script))
        let later = EventRecorder(resumed)
        _ = try await resumed.chat("third")
        await resumed.close()
        later.stop()

        let before = recorder.all.map(\.seq).filter { $0 != EventEnvelope.liveOnlySeq }
        let after = later.all.map(\.seq)
        #expect(!after.isEmpty)
        #expect(Set(before).isDisjoint(with: after), "seqs published before the failure were handed out again")
        #expect(!after.contains(EventEnvelope.liveOnlySeq))
        #expect(Set(before + after).count == before.count + after.count)
    }
}
