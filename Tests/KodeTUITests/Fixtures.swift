import Foundation
import KodeKernel
import KodeTUI

/// Synthetic envelopes and models for the render tests: a fixed clock so goldens are stable.
enum Fixtures {
    static let agentId = "agt_testagent00000001"
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    final class Clock: @unchecked Sendable {
        var seq: UInt64 = 0
        var time = Fixtures.t0
        func env(_ event: AgentEvent, agent: AgentID = Fixtures.agentId) -> EventEnvelope {
            seq += 1
            time = time.addingTimeInterval(0.5)
            return EventEnvelope(seq: seq, timestamp: time, agentId: agent, event: event)
        }
    }

    static func model(width: Int, height: Int, unicode: Bool = true, demo: Bool = false) -> AppModel {
        let info = SessionInfo(agentId: agentId, provider: ProviderInfo(name: demo ? "demo" : "scripted", model: demo ? "demo-1" : "script", isDemo: demo))
        return AppModel(info: info, width: width, height: height, unicode: unicode)
    }

    static func text(_ c: Clock, _ id: String, _ chunks: [String]) -> [EventEnvelope] {
        [c.env(.textChunkStart(ChunkBoundary(messageId: id)))]
            + chunks.map { c.env(.textChunk(ChunkDelta(messageId: id, delta: $0))) }
            + [c.env(.textChunkEnd(ChunkBoundary(messageId: id)))]
    }

    static func call(_ id: String, _ name: String, _ input: JSONValue, state: ToolCallState = .approvalRequired) -> ToolCallRecord {
        var r = ToolCallRecord(id: id, name: name, input: input, state: state, createdAt: t0)
        r.reason = "writes need approval in approval mode"
        return r
    }

    static func permission(_ c: Clock, _ id: String, _ name: String, _ input: JSONValue, preview: String) -> EventEnvelope {
        c.env(.permissionRequired(PermissionRequiredEvent(callId: id, call: call(id, name, input), inputPreview: preview, reason: "\(name) needs approval in approval mode", alwaysPattern: "\(name)(*)")))
    }

    /// A conversation that shows every tool-cell state, CJK and emoji.
    static func richTranscript(_ m: inout AppModel, _ c: Clock) {
        m.conversation.addUser("Please tidy the repo and write a summary 请总结 🚀", inputId: "in_1", queued: false, at: c.time)
        for e in [c.env(.stateChanged(StateChangedEvent(from: .ready, to: .working)))]
            + [c.env(.thinkChunkStart(ChunkBoundary(messageId: "m1"))), c.env(.thinkChunk(ChunkDelta(messageId: "m1", delta: "Let me look at the files first."))), c.env(.thinkChunkEnd(ChunkBoundary(messageId: "m1")))]
            + text(c, "m1", ["I will list the files, then write notes.md. ", "日本語のテキストも折り返します。", " Emoji: 👍🏽 ❤️ 👨‍👩‍👧 done."]) {
            m.apply(e, now: c.time)
        }
        let states: [(String, String, JSONValue, ToolCallState?, Bool)] = [
            ("c_ok", "fs_read", .object(["path": .string("README.md")]), .completed, false),
            ("c_err", "bash_run", .object(["cmd": .string("make test")]), .failed, true),
            ("c_den", "bash_run", .object(["cmd": .string("rm -rf build")]), .denied, false),
            ("c_seal", "bash_run", .object(["cmd": .string("sleep 100")]), .sealed, true),
            ("c_run", "bash_run", .object(["cmd": .string("swift build")]), nil, false),
        ]
        for (id, name, input, final, isError) in states {
            m.apply(c.env(.toolStart(ToolStartEvent(callId: id, name: name, input: input))), now: c.time)
            if let final {
                if final == .denied {
                    m.apply(c.env(.permissionDecided(PermissionDecidedEvent(callId: id, decision: .deny, decidedBy: "user", note: "not now", scope: .once))), now: c.time)
                }
                m.apply(c.env(.toolEnd(ToolEndEvent(callId: id, name: name, state: final, isError: isError, durationMs: 1234, outputPreview: final == .completed ? "# Kode\nA runtime\nline 3" : "\u{1b}[31mFAILED\u{1b}[0m exit status 2\nsee the log"))), now: c.time)
            }
        }
        m.conversation.addNotice("interrupted — Ctrl+R continues the turn", role: .warning, at: c.time)
        // A pending call and one awaiting approval (no modal: decided later in other tests).
        m.conversation.apply(c.env(.permissionRequired(PermissionRequiredEvent(callId: "c_wait", call: call("c_wait", "fs_write", .object(["path": .string("notes.md"), "content": .string("hi")])), inputPreview: "notes.md", reason: "r", alwaysPattern: "fs_write(*)"))))
    }
}
