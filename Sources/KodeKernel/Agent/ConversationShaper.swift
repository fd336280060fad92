import Foundation

/// Shapes the stored conversation into what a model is sent.
enum ConversationShaper {
    /// Merges consecutive messages of the same role (e.g. a new prompt after an interrupted turn)
    /// so every vendor sees strictly alternating roles.
    static func mergeConsecutiveRoles(_ messages: [Message]) -> [Message] {
        var out: [Message] = []
        out.reserveCapacity(messages.count)
        for message in messages {
            if var last = out.last, last.role == message.role {
                // Tool results must lead a user message for some vendors.
                let results = message.content.filter { if case .toolResult = $0 { return true } else { return false } }
                let others = message.content.filter { if case .toolResult = $0 { return false } else { return true } }
                last.content = results + last.content + others
                out[out.count - 1] = last
            } else {
                out.append(message)
            }
        }
        return out.map { message in
            var message = message
            let nonEmpty = message.content.filter { if case .text(let t) = $0 { return !t.isEmpty } else { return true } }
            message.content = nonEmpty.isEmpty ? [.text("(empty)")] : nonEmpty
            return message
        }
    }

    struct CompressionReport {
        var beforeChars = 0
        var afterChars = 0
        var compressedResults = 0
    }

    /// Characters kept of a compressed tool result.
    static let keptChars = 400
    /// The newest messages are never compressed.
    static let protectedTail = 6

    /// Shortens the oldest tool results until the conversation fits `budgetChars`.
    static func compress(_ messages: [Message], budgetChars: Int) -> ([Message], CompressionReport) {
        var report = CompressionReport()
        let total = messages.reduce(0) { $0 + size(of: $1) }
        report.beforeChars = total
        report.afterChars = total
        guard total > budgetChars else { return (messages, report) }
        var out = messages
        var current = total
        let limit = max(0, out.count - protectedTail)
        outer: for m in 0..<limit {
            for b in out[m].content.indices {
                guard current > budgetChars else { break outer }
                if case .toolResult(let id, let content, let isError) = out[m].content[b], content.count > keptChars + 80 {
                    let omitted = content.count - keptChars
                    let short = String(content.prefix(keptChars)) + "\n[compressed: \(omitted) characters omitted to fit the context]"
                    out[m].content[b] = .toolResult(toolUseId: id, content: short, isError: isError)
                    current -= content.count - short.count
                    report.compressedResults += 1
                }
            }
        }
        report.afterChars = current
        return (out, report)
    }

    static func size(of message: Message) -> Int {
        message.content.reduce(0) { sum, block in
            switch block {
            case .text(let t): return sum + t.count
            case .thinking(let t, _): return sum + t.count
            case .toolUse(_, _, let input): return sum + input.approximateJSONLength
            case .toolResult(_, let c, _): return sum + c.count
            }
        }
    }
}
