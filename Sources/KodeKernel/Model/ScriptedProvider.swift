import Foundation

/// Replays a ``ScriptedScript`` deterministically: for tests, demos and benchmarks.
public struct ScriptedProvider: ModelProvider {
    public let script: ScriptedScript
    public let info: ProviderInfo
    private let turnCounter = AssistantTurnCounter()

    public init(script: ScriptedScript, model: String = "scripted") {
        self.script = script
        self.info = ProviderInfo(name: "scripted", model: model)
    }

    /// Plays turn k, where k is the number of assistant messages already in the conversation
    /// (those a compaction summary stands for included). A summary request is answered with the
    /// script's `summary` (or a description of what it summarises) and takes no turn.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        if request.purpose == .summary {
            return Self.summaryReply(to: request, script: script).stream(pauseMs: script.chunkDelayMs)
        }
        let k = turnCounter.assistantMessages(in: request.messages) + request.compactedAssistantReplies
        let turn = k < script.turns.count ? script.turns[k] : nil
        return Self.reply(to: turn, index: k, chunkSize: script.chunkSize).stream(pauseMs: script.chunkDelayMs)
    }

    /// The summary of a compaction request: deterministic, so tests can look for it.
    static func summaryReply(to request: ModelRequest, script: ScriptedScript) -> PacedReply {
        var reply = PacedReply()
        reply.add(.messageStart(id: "scripted_summary", model: "scripted"))
        if let error = script.summaryError {
            reply.failure = ModelError(.server, error)
            return reply
        }
        let bytes = request.messages.reduce(0) { $0 + ConversationShaper.size(of: $1) }
        let text = script.summary ?? "Summary of \(request.messages.count) messages (\(bytes) bytes)."
        reply.addChunks(of: text, size: script.chunkSize) { .textDelta($0) }
        reply.add(.usage(TokenUsage(input: TokenEstimate.tokens(bytes: bytes), output: TokenEstimate.tokens(bytes: text.utf8.count))))
        reply.add(.messageStop(.endTurn))
        return reply
    }

    /// The events of turn `k` (nil: past the end of the script).
    static func reply(to turn: ScriptedScript.Turn?, index k: Int, chunkSize: Int) -> PacedReply {
        var reply = PacedReply()
        reply.add(.messageStart(id: "scripted_\(k)", model: "scripted"))
        guard let turn else {
            reply.add(.textDelta("(The script has no turn \(k + 1); nothing more to say.)"))
            reply.add(.messageStop(.endTurn))
            return reply
        }
        if let error = turn.error {
            reply.failure = ModelError(turn.errorKind, error)
            return reply
        }
        if let thinking = turn.thinking {
            reply.addChunks(of: thinking, size: chunkSize) { .thinkingDelta($0) }
            reply.add(.thinkingSignature("scripted-signature-\(k)"))
        }
        if let text = turn.text {
            if let cut = turn.cutAfterChars {
                reply.addChunks(of: String(text.prefix(cut)), size: chunkSize) { .textDelta($0) }
                reply.failure = ModelError(.streamCut, "the connection closed in the middle of the reply (scripted)")
                return reply
            }
            reply.addChunks(of: text, size: chunkSize) { .textDelta($0) }
        }
        for (i, call) in turn.toolCalls.enumerated() {
            reply.add(.toolUseStart(index: i, id: "toolu_\(k)_\(i)", name: call.name))
            reply.addChunks(of: call.inputJSON, size: chunkSize) { .toolInputDelta(index: i, json: $0) }
            reply.add(.toolUseEnd(index: i))
        }
        reply.add(.usage(turn.usage ?? TokenUsage(input: 10 * (k + 1), output: max(1, (turn.text?.count ?? 0) / 4))))
        reply.add(.messageStop(turn.toolCalls.isEmpty ? .endTurn : .toolUse))
        return reply
    }
}
