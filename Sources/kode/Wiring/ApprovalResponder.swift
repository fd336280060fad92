import Foundation
import KodeKernel

/// Answers approvals in headless runs: automatically (`--approve`), by asking on the terminal,
/// or not at all (no terminal: the run stops with the request left pending and durable).
struct ApprovalResponder {
    enum Outcome {
        case answered
        case stop(pending: [String])
    }

    let agent: any AgentHandle
    let policy: AutoApproval?

    func answer(callId: String, preview: String) async -> Outcome {
        switch policy {
        case .allowAll:
            try? await agent.decide(callId, .allow, note: "--approve all", scope: .once, by: "cli")
            return .answered
        case .denyAll:
            try? await agent.decide(callId, .deny, note: "--approve none", scope: .once, by: "cli")
            return .answered
        case nil:
            guard let tty = TerminalPrompt.open() else {
                let pending = (try? await agent.status().pendingApprovals.map(\.id)) ?? []
                return .stop(pending: pending.isEmpty ? [callId] : pending)
            }
            let reply = await tty.ask("Allow \(TerminalText.safe(preview, keepNewlines: false))? [y]es, [n]o, [a]lways: ")
            switch reply.lowercased() {
            case "y", "yes":
                try? await agent.decide(callId, .allow, note: nil, scope: .once, by: "user")
            case "a", "always":
                try? await agent.decide(callId, .allow, note: nil, scope: .always, by: "user")
            default:
                let note = await tty.ask("Note for the agent (optional): ")
                try? await agent.decide(callId, .deny, note: note.isEmpty ? nil : note, scope: .once, by: "user")
            }
            return .answered
        }
    }
}

/// Asks a question on the terminal when standard input is one.
struct TerminalPrompt: Sendable {
    /// A prompt when standard input is a terminal; `nil` in pipes, CI and cron.
    static func open() -> TerminalPrompt? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        return TerminalPrompt()
    }

    func ask(_ question: String) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                Output.stderr(question)
                let line = readLine(strippingNewline: true) ?? ""
                continuation.resume(returning: line.trimmingCharacters(in: .whitespaces))
            }
        }
    }
}
