import Foundation

// What `y` and `Y` put on the clipboard: text as the agent or the person wrote it (the terminal
// gets it base64-encoded, so nothing in it can act as a terminal command).
extension ConversationItem {
    /// The entry's text: a message as written, a tool call's output (its input when it has none).
    package var copyText: String? {
        switch kind {
        case .user(let t, _, _), .assistant(let t, _), .thinking(let t, _, _), .notice(let t, _): return t
        case .tool(let c): return c.output.isEmpty ? c.summary : c.output
        }
    }

    /// The fenced code blocks of a reply, without their fences, oldest first.
    package var codeBlocks: [String] {
        guard case .assistant(let text, _) = kind else { return [] }
        var blocks: [String] = []
        var current: [Substring]?
        var fence = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if current == nil {
                if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                    fence = String(trimmed.prefix { $0 == trimmed.first })
                    current = []
                }
            } else if trimmed.hasPrefix(fence), trimmed.drop(while: { $0 == fence.first }).allSatisfy(\.isWhitespace) {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current!.append(line)
            }
        }
        // A block still streaming (no closing fence yet) is copied as far as it goes.
        if let current { blocks.append(current.joined(separator: "\n")) }
        return blocks
    }
}
