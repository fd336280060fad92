import Foundation
import KodeKernel
import Testing

/// Checks DESIGN §4's promises on a stored agent after crashes and resumes.
public struct CrashInvariants {
    public let fixture: CLIFixture
    public let agentId: String

    public init(fixture: CLIFixture, agentId: String) {
        self.fixture = fixture
        self.agentId = agentId
    }

    /// Seq strictly increasing without duplicates; every tool_use answered exactly once by the
    /// next message; no effect executed twice or without a durable start.
    public func check(acknowledged: [EventEnvelope] = [], requireAnswered: Bool = true, context: String) async throws {
        let events = try await fixture.events(agentId)
        let seqs = events.map(\.seq)
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "seq order broken (\(context))")

        // Nothing a killed process printed (and so had stored) is missing or changed.
        let stored = Dictionary(events.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        for envelope in acknowledged {
            #expect(stored[envelope.seq]?.event == envelope.event, "acknowledged event \(envelope.seq) \(envelope.event.type.rawValue) lost (\(context))")
        }

        let messages = try await fixture.export(agentId)["messages"]?.arrayValue ?? []
        var open: [String] = []
        var answered: [String: Int] = [:]
        for message in messages {
            for block in message["content"]?.arrayValue ?? [] {
                switch block["type"]?.stringValue {
                case "tool_use": open.append(block["id"]?.stringValue ?? "?")
                case "tool_result": answered[block["tool_use_id"]?.stringValue ?? "?", default: 0] += 1
                default: break
                }
            }
        }
        for id in open where requireAnswered || answered[id] != nil {
            #expect(answered[id] == 1, "tool_use \(id) answered \(answered[id] ?? 0) times (\(context))")
        }
        #expect(answered.keys.allSatisfy(open.contains), "a result without a call (\(context))")

        // Effects: each step's line at most once, and only for calls whose start is logged.
        let effects = (try? String(contentsOfFile: fixture.workDir + "/effects.txt", encoding: .utf8)) ?? ""
        let lines = effects.split(separator: "\n").map(String.init)
        let started = events.compactMap { envelope -> String? in
            if case .toolStart(let e) = envelope.event { return e.input["cmd"]?.stringValue } else { return nil }
        }
        for line in Set(lines) {
            #expect(lines.filter { $0 == line }.count == 1, "effect \(line) ran more than once (\(context))")
            #expect(started.contains { $0.contains(line) }, "effect \(line) ran without a durable start (\(context))")
        }
    }
}

extension KodeCLI.Result {
    /// The envelopes a `--json` run printed, ignoring a line cut by a kill.
    public var envelopes: [EventEnvelope] {
        let decoder = EventEnvelope.lineDecoder()
        return lines.compactMap { try? decoder.decode(EventEnvelope.self, from: Data($0.utf8)) }
    }
}
