import Foundation
import KodeKernel

/// Prints envelopes either as JSON lines (`--json`) or as a readable transcript.
struct TranscriptPrinter {
    let json: Bool
    /// A listing of stored events (`kode events`): notes a turn prints on stderr (errors, the
    /// resume summary) are part of the listing and go to stdout like the rest.
    let listing: Bool
    /// Events with no text form are printed as their JSON line instead of left out (the kinds
    /// were asked for by name).
    let showUnrendered: Bool
    private let encoder = EventEnvelope.lineEncoder()

    init(json: Bool, listing: Bool = false, showUnrendered: Bool = false) {
        self.json = json
        self.listing = listing
        self.showUnrendered = showUnrendered
    }

    private func note(_ text: String) {
        if listing { Output.stdout(text) } else { Output.stderr(text) }
    }

    func print(_ envelope: EventEnvelope) {
        if json {
            if let data = try? encoder.encode(envelope) {
                Output.stdout(String(decoding: data, as: UTF8.self) + "\n")
            }
            return
        }
        switch envelope.event {
        case .thinkChunkStart: Output.stdout("[thinking] ")
        case .thinkChunk(let e): Output.stdout(TerminalText.safe(e.delta))
        case .thinkChunkEnd: Output.stdout("\n")
        case .textChunk(let e): Output.stdout(TerminalText.safe(e.delta))
        case .textChunkEnd: Output.stdout("\n")
        case .toolStart(let e):
            Output.stdout("▶ \(TerminalText.safe(ToolInputPreview.render(name: e.name, input: e.input), keepNewlines: false))\n")
        case .toolEnd(let e):
            let duration = e.durationMs.map { String(format: " %.0f ms", $0) } ?? ""
            Output.stdout("◀ \(e.name) \(e.state.rawValue)\(duration)\n")
            let lines = e.outputPreview.split(separator: "\n", omittingEmptySubsequences: false).prefix(6)
            for line in lines where !line.isEmpty { Output.stdout("  │ \(TerminalText.safe(String(line.prefix(200)), keepNewlines: false))\n") }
        case .permissionRequired(let e):
            Output.stdout("? approval needed for \(e.callId): \(TerminalText.safe(e.inputPreview, keepNewlines: false)) (\(TerminalText.safe(e.reason)))\n")
        case .permissionDecided(let e):
            Output.stdout("  \(e.decision == .allow ? "allowed" : "denied") by \(e.decidedBy)\(e.note.map { ": " + TerminalText.safe($0) } ?? "")\n")
        case .error(let e):
            note("\(e.severity.rawValue) [\(e.phase.rawValue)]: \(TerminalText.safe(e.message))\(e.detail.map { " (\(TerminalText.safe($0)))" } ?? "")\n")
        case .agentResumed(let e):
            var parts = ["resumed at \(e.breakpoint.rawValue)"]
            if !e.sealedCalls.isEmpty { parts.append("sealed \(e.sealedCalls.joined(separator: ", "))") }
            if e.discardedPartialBytes > 0 { parts.append("discarded \(e.discardedPartialBytes) characters of a partial reply") }
            if !e.pendingApprovals.isEmpty { parts.append("pending approvals: \(e.pendingApprovals.joined(separator: ", "))") }
            if e.turnInterrupted { parts.append("an interrupted turn can be continued with --continue") }
            note(parts.joined(separator: "; ") + "\n")
        case .done(let e):
            Output.stdout("— done (\(e.reason.rawValue))\n")
        case .agentForked(let e):
            Output.stdout("forked \(e.child) from \(e.parent.agentId) at seq \(e.parent.seq)\n")
        case .todoChanged(let e):
            for todo in e.todos {
                let mark = todo.status == .completed ? "x" : (todo.status == .inProgress ? ">" : " ")
                Output.stdout("  [\(mark)] \(TerminalText.safe(todo.title, keepNewlines: false))\n")
            }
        default:
            // Sanitized like any untrusted text: the encoder escapes C0 controls but not DEL, C1
            // or bidi controls.
            if showUnrendered, let data = try? encoder.encode(envelope) {
                Output.stdout(TerminalText.safe(String(decoding: data, as: UTF8.self), keepNewlines: false) + "\n")
            }
        }
    }
}

/// Unbuffered writes to the standard streams.
enum Output {
    static func stdout(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func stderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
