import Foundation

/// Builds one assistant reply from the normalized stream and says which Progress events to emit.
struct ReplyAccumulator {
    private(set) var text = ""
    private(set) var thinking = ""
    private(set) var signature: String?
    private(set) var usage = TokenUsage()
    private(set) var stopReason: StopReason?
    private var textOpen = false
    private var thinkingOpen = false
    /// Tool calls in the order they started; a reply has a handful, so a list beats a table.
    private var toolUses: [(index: Int, id: String, name: String, json: String)] = []

    /// Folds one stream event in; returns the events to publish for it.
    mutating func consume(_ event: ModelStreamEvent, messageId: String) -> [AgentEvent] {
        var out: [AgentEvent] = []
        switch event {
        case .messageStart:
            break
        case .thinkingDelta(let delta):
            guard !delta.isEmpty else { break }
            if textOpen {
                textOpen = false
                out.append(.textChunkEnd(ChunkBoundary(messageId: messageId)))
            }
            if !thinkingOpen {
                thinkingOpen = true
                out.append(.thinkChunkStart(ChunkBoundary(messageId: messageId)))
            }
            thinking += delta
            out.append(.thinkChunk(ChunkDelta(messageId: messageId, delta: delta)))
        case .thinkingSignature(let value):
            signature = (signature ?? "") + value
        case .textDelta(let delta):
            guard !delta.isEmpty else { break }
            if thinkingOpen {
                thinkingOpen = false
                out.append(.thinkChunkEnd(ChunkBoundary(messageId: messageId)))
            }
            if !textOpen {
                textOpen = true
                out.append(.textChunkStart(ChunkBoundary(messageId: messageId)))
            }
            text += delta
            out.append(.textChunk(ChunkDelta(messageId: messageId, delta: delta)))
        case .toolUseStart(let index, let id, let name):
            if let position = position(ofTool: index) {
                toolUses[position] = (index, id, name, "")
            } else {
                toolUses.append((index, id, name, ""))
            }
        case .toolInputDelta(let index, let json):
            if let position = position(ofTool: index) { toolUses[position].json += json }
        case .toolUseEnd:
            break
        case .usage(let value):
            usage = TokenUsage(
                input: value.input != 0 ? value.input : usage.input,
                output: value.output != 0 ? value.output : usage.output,
                cacheRead: value.cacheRead != 0 ? value.cacheRead : usage.cacheRead,
                cacheWrite: value.cacheWrite != 0 ? value.cacheWrite : usage.cacheWrite)
        case .messageStop(let reason):
            stopReason = reason
        }
        return out
    }

    /// Ends any open thinking or text block.
    func closeOpenBlocks(messageId: String) -> [AgentEvent] {
        var out: [AgentEvent] = []
        if thinkingOpen { out.append(.thinkChunkEnd(ChunkBoundary(messageId: messageId))) }
        if textOpen { out.append(.textChunkEnd(ChunkBoundary(messageId: messageId))) }
        return out
    }

    /// The committed content: thinking (with its signature), text, then tool calls in order.
    /// Tool input that is not valid JSON is kept verbatim under `_invalid_json` so validation can
    /// report it to the model instead of losing the call.
    func contentBlocks() -> [ContentBlock] {
        var blocks: [ContentBlock] = []
        if !thinking.isEmpty || signature != nil { blocks.append(.thinking(thinking, signature: signature)) }
        if !text.isEmpty { blocks.append(.text(text)) }
        for use in toolUses {
            let input: JSONValue
            if use.json.utf8.allSatisfy(Self.isJSONWhitespace) {
                input = .object([:])
            } else if let parsed = try? JSONValue.parse(use.json) {
                input = parsed
            } else {
                input = .object(["_invalid_json": .string(use.json)])
            }
            blocks.append(.toolUse(id: use.id, name: use.name, input: input))
        }
        // An empty reply stays empty in the log; the request shaper gives vendors a placeholder.
        return blocks
    }

    /// Where the call with the stream's tool `index` is in `toolUses` (each index appears once).
    private func position(ofTool index: Int) -> Int? {
        toolUses.firstIndex { $0.index == index }
    }

    /// The parser skips whitespace around a document itself; only an all-blank input needs
    /// telling apart (it means "no arguments").
    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
