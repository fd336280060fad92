import Foundation

/// An offline model that shows every feature without an API key, and says so.
///
/// It takes a short tour of the working directory with real tools: it lists files and keeps a
/// todo list, reads one file, proposes writing `KODE_DEMO.md` (which needs approval in the
/// default mode), and sums up. Later prompts get a short reply explaining how to configure a
/// real provider.
public struct DemoProvider: ModelProvider {
    public let info = ProviderInfo(name: "demo", model: "kode-demo (offline)", isDemo: true)
    /// Pause between streamed pieces, so streaming is visible.
    public var chunkDelayMs: Int

    public init(chunkDelayMs: Int = 12) {
        self.chunkDelayMs = chunkDelayMs
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        let plan = DemoProvider.plan(for: request.messages)
        var reply = PacedReply()
        reply.add(.messageStart(id: nil, model: "kode-demo"))
        if let thinking = plan.thinking {
            reply.addChunks(of: thinking, size: 6) { .thinkingDelta($0) }
        }
        reply.addChunks(of: plan.text, size: 6) { .textDelta($0) }
        for (i, call) in plan.calls.enumerated() {
            reply.add(.toolUseStart(index: i, id: "demo_\(ShortID.make(length: 10))", name: call.name))
            reply.add(.toolInputDelta(index: i, json: call.input.compactText))
            reply.add(.toolUseEnd(index: i))
        }
        reply.add(.usage(TokenUsage(input: 0, output: 0)))
        reply.add(.messageStop(plan.calls.isEmpty ? .endTurn : .toolUse))
        return reply.stream(pauseMs: chunkDelayMs)
    }

    struct Plan {
        var thinking: String?
        var text: String
        var calls: [(name: String, input: JSONValue)]
    }

    static let tourEnd = "That was the demo tour."

    /// Decides the next reply from the conversation: which step of the tour comes next.
    static func plan(for messages: [Message]) -> Plan {
        let tourDone = messages.contains { $0.role == .assistant && $0.text.contains(tourEnd) }
        let lastUserText = messages.lastIndex { $0.role == .user && !$0.text.isEmpty } ?? 0
        let step = messages[lastUserText...].filter { $0.role == .assistant }.count
        let results = messages.last?.content.compactMap { block -> (String, Bool)? in
            if case .toolResult(_, let content, let isError) = block { return (content, isError) }
            return nil
        } ?? []

        if tourDone {
            return Plan(text: """
                I am the offline demo model, so I can't really answer that. To talk to a real model, \
                set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY and start Kode again \
                (or pass --provider and --model).
                """, calls: [])
        }
        switch step {
        case 0:
            return Plan(
                thinking: "The user wants to see what Kode can do. Start by looking around.",
                text: "Hello! This is Kode's **demo model**: an offline script, not a real AI (no API key is configured). I'll show you around with real tools. First, the files here:",
                calls: [
                    ("fs_glob", ["pattern": "*"]),
                    ("todo_write", ["todos": [
                        ["id": "1", "title": "List the files", "status": "completed"],
                        ["id": "2", "title": "Read one file", "status": "in_progress"],
                        ["id": "3", "title": "Write a summary (needs your approval)", "status": "pending"],
                    ]]),
                ])
        case 1:
            let files = fileNames(in: results.first?.0 ?? "")
            let pick = files.first { $0.lowercased().hasPrefix("readme") } ?? files.first
            guard let pick else {
                // Nothing to read: straight to the write, and the tour ends after it.
                return writePlan(files: [], lead: "The directory looks empty, so there is nothing to read.")
            }
            return Plan(text: "I found \(files.count) file(s). Let me read the start of `\(pick)`.", calls: [
                ("fs_read", ["path": .string(pick), "limit": 15]),
            ])
        case 2 where !messages[lastUserText...].contains(where: \.proposedWrite):
            let files = messages.flatMap { $0.content }.compactMap { block -> String? in
                if case .toolResult(_, let content, false) = block, !content.contains("│") { return content }
                return nil
            }.first.map(fileNames(in:)) ?? []
            return writePlan(files: files, lead: nil)
        default:
            let denied = results.contains { $0.1 }
            let outcome = denied
                ? "You denied the write, and I respected that: nothing was written."
                : "The summary is in `KODE_DEMO.md`."
            return Plan(text: """
                \(outcome) \(tourEnd) Every step you saw is in a crash-safe log: kill Kode at any moment \
                and reopen the agent, and it continues from its last durable step. Try Ctrl+T to browse \
                checkpoints and fork a new trajectory.
                """, calls: [])
        }
    }

    /// The write the tour proposes (it needs approval), with the todo list brought up to date.
    static func writePlan(files: [String], lead: String?) -> Plan {
        let ask = "I'd like to write a short summary to `KODE_DEMO.md`. Writing files needs your approval: press y to allow, n to deny."
        return Plan(text: lead.map { "\($0) Next, \(ask)" } ?? "Now \(ask)", calls: [
            ("fs_write", ["path": "KODE_DEMO.md", "content": .string(summary(files: files))]),
            ("todo_write", ["todos": [
                ["id": "1", "title": "List the files", "status": "completed"],
                ["id": "2", "title": "Read one file", "status": "completed"],
                ["id": "3", "title": "Write a summary (needs your approval)", "status": "in_progress"],
            ]]),
        ])
    }

    /// The file names of an `fs_glob` listing: none for its "no files match" answer, and not its
    /// directories or notes.
    static func fileNames(in listing: String) -> [String] {
        guard !listing.hasPrefix("no files match") else { return [] }
        return listing.split(separator: "\n").map(String.init).filter { !$0.hasSuffix("/") && !$0.hasPrefix("[") && !$0.isEmpty }
    }

    static func summary(files: [String]) -> String {
        var text = "# Kode demo\n\nWritten by Kode's offline demo model.\n\n"
        if files.isEmpty {
            text += "The working directory was empty.\n"
        } else {
            text += "Files found:\n\n" + files.prefix(20).map { "- \($0)" }.joined(separator: "\n") + "\n"
        }
        return text
    }
}

private extension Message {
    /// Whether this is the tour's proposal to write its summary.
    var proposedWrite: Bool {
        role == .assistant && content.contains { if case .toolUse(_, "fs_write", _) = $0 { return true } else { return false } }
    }
}
