import Foundation

/// The messages of a compaction's summarising request: the previous summary and the replaced
/// messages as plain text (tool calls and results written out, thinking left out, so no vendor
/// pairing rule applies and no tool definitions are needed), then the instruction.
///
/// It always fits the window: the oldest tool outputs are left out first, then long texts are
/// cut, then the oldest messages are dropped — so a compaction never fails because the context
/// is already full.
struct SummaryRequestBuilder {
    static let system = """
        You summarise a conversation between a person and a coding agent so the agent can continue \
        the work with the summary in place of the conversation. Keep: the person's goals and \
        constraints, decisions made, files read or changed and what was learned about them, \
        commands run and their outcomes, errors and how they were handled, open questions and the \
        next steps. Be specific (paths, names, numbers); leave out pleasantries. Write plain text.
        """

    static let instruction = "Summarise the conversation above as your instructions say. Do not call tools; reply with the summary only."
    /// Bytes kept of a long text when cutting.
    static let cutLength = 2_000

    private(set) var messages: [Message] = []
    private(set) var trimmedToolOutputs = 0

    init(previous: Compaction?, messages source: ArraySlice<Message>, instructions: String?, window: Int, summaryMaxTokens: Int) {
        var rendered: [Message] = []
        if let previous { rendered.append(previous.summaryMessage) }
        for message in source { rendered.append(Self.render(message)) }
        var closing = Self.instruction
        if let instructions { closing += "\n\nAlso: " + instructions }
        let budgetTokens = max(256, window - summaryMaxTokens - TokenEstimate.tokens(bytes: Self.system.utf8.count + closing.utf8.count) - 256)
        var bytes = rendered.reduce(0) { $0 + ConversationShaper.size(of: $1) }
        func fits() -> Bool { TokenEstimate.tokens(bytes: bytes) <= budgetTokens }

        // 1. The oldest tool outputs.
        outer: for m in rendered.indices where !fits() {
            for b in rendered[m].content.indices {
                guard !fits() else { break outer }
                if case .text(let text) = rendered[m].content[b], text.hasPrefix(Self.resultPrefix), text.utf8.count > 200 {
                    let short = Self.resultPrefix + ": output left out to fit the summary request (\(text.utf8.count) bytes)]"
                    rendered[m].content[b] = .text(short)
                    bytes -= text.utf8.count - short.utf8.count
                    trimmedToolOutputs += 1
                }
            }
        }
        // 2. Long texts, oldest first.
        for m in rendered.indices where !fits() {
            for b in rendered[m].content.indices where !fits() {
                if case .text(let text) = rendered[m].content[b], text.utf8.count > Self.cutLength {
                    let short = String(decoding: Array(text.utf8.prefix(Self.cutLength)), as: UTF8.self) + " […cut]"
                    rendered[m].content[b] = .text(short)
                    bytes -= text.utf8.count - short.utf8.count
                }
            }
        }
        // 3. The oldest messages.
        var dropped = 0
        while !fits(), rendered.count > 1 {
            bytes -= ConversationShaper.size(of: rendered.removeFirst())
            dropped += 1
        }
        if dropped > 0 {
            rendered.insert(Message(id: "sum_dropped", role: .user, content: [.text("[\(dropped) older messages left out to fit the summary request]")]), at: 0)
        }
        rendered.append(Message(id: "sum_instruction", role: .user, content: [.text(closing)]))
        messages = ConversationShaper.mergeConsecutiveRoles(rendered)
    }

    static let resultPrefix = "[tool result"

    /// A message as text only.
    static func render(_ message: Message) -> Message {
        var blocks: [ContentBlock] = []
        for block in message.content {
            switch block {
            case .text(let text):
                blocks.append(.text(text))
            case .thinking:
                continue
            case .toolUse(_, let name, let input):
                blocks.append(.text("[tool call \(name) \(input.compactText)]"))
            case .toolResult(_, let content, let isError):
                blocks.append(.text(resultPrefix + (isError ? " (error)" : "") + "]\n" + content))
            }
        }
        return Message(id: message.id, role: message.role, content: blocks, timestamp: message.timestamp)
    }
}
