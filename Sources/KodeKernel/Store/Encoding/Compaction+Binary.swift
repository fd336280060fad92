import Foundation

/// The binary form of a ``Compaction`` in snapshot states (docs/STORE-FORMAT.md, *Compaction*).
/// In the log a compaction is a JSON (type 1) record: one per compaction is too rare to matter.
extension ByteWriter {
    mutating func compaction(_ c: Compaction) {
        string(c.id)
        string(c.summary)
        int(c.replacedMessages)
        string(c.firstMessageId)
        string(c.lastMessageId)
        int(c.replacedAssistantMessages)
        int(c.replacedBytes)
        int(c.summaryBytes)
        int(c.tokensBefore)
        int(c.tokensAfter)
        string(c.trigger.rawValue)
        optionalString(c.instructions)
        int(c.trimmedToolOutputs)
    }
}

extension ByteReader {
    mutating func compaction() throws(BinaryDecodingFailure) -> Compaction {
        let id = try string()
        let summary = try string()
        let replaced = try int()
        let first = try string()
        let last = try string()
        let assistants = try int()
        let replacedBytes = try int()
        let summaryBytes = try int()
        let before = try int()
        let after = try int()
        let trigger = try raw(Compaction.Trigger.self)
        let instructions = try optionalString()
        let trimmed = try int()
        return Compaction(
            id: id, summary: summary, replacedMessages: replaced, firstMessageId: first, lastMessageId: last,
            replacedAssistantMessages: assistants, replacedBytes: replacedBytes, summaryBytes: summaryBytes,
            tokensBefore: before, tokensAfter: after, trigger: trigger, instructions: instructions, trimmedToolOutputs: trimmed)
    }
}
