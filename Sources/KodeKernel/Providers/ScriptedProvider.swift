import Foundation

/// Replays a ``ScriptedScript`` deterministically: for tests, demos and benchmarks.
public struct ScriptedProvider: ModelProvider {
    public let script: ScriptedScript
    public let info: ProviderInfo

    public init(script: ScriptedScript, model: String = "scripted") {
        self.script = script
        self.info = ProviderInfo(name: "scripted", model: model)
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        let k = request.messages.reduce(0) { $0 + ($1.role == .assistant ? 1 : 0) }
        let turn = k < script.turns.count ? script.turns[k] : nil
        let script = self.script
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await ScriptedProvider.play(turn, index: k, script: script, into: continuation)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func play(_ turn: ScriptedScript.Turn?, index k: Int, script: ScriptedScript, into out: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation) async throws {
        out.yield(.messageStart(id: "scripted_\(k)", model: "scripted"))
        guard let turn else {
            out.yield(.textDelta("(The script has no turn \(k + 1); nothing more to say.)"))
            out.yield(.messageStop(.endTurn))
            return
        }
        if let error = turn.error { throw ModelError(turn.errorKind, error) }
        let chunker = Chunker(size: script.chunkSize, delayMs: script.chunkDelayMs)
        if let thinking = turn.thinking {
            try await chunker.send(thinking, into: out) { .thinkingDelta($0) }
            out.yield(.thinkingSignature("scripted-signature-\(k)"))
        }
        if let text = turn.text {
            if let cut = turn.cutAfterChars {
                try await chunker.send(String(text.prefix(cut)), into: out) { .textDelta($0) }
                throw ModelError(.streamCut, "the connection closed in the middle of the reply (scripted)")
            }
            try await chunker.send(text, into: out) { .textDelta($0) }
        }
        for (i, call) in turn.toolCalls.enumerated() {
            out.yield(.toolUseStart(index: i, id: "toolu_\(k)_\(i)", name: call.name))
            try await chunker.send(call.inputJSON, into: out) { .toolInputDelta(index: i, json: $0) }
            out.yield(.toolUseEnd(index: i))
        }
        out.yield(.usage(turn.usage ?? TokenUsage(input: 10 * (k + 1), output: max(1, (turn.text?.count ?? 0) / 4))))
        out.yield(.messageStop(turn.toolCalls.isEmpty ? .endTurn : .toolUse))
    }
}

/// Splits text into fixed-size pieces with an optional delay between them.
struct Chunker {
    var size: Int
    var delayMs: Int

    func send(_ text: String, into out: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation, as make: (String) -> ModelStreamEvent) async throws {
        var rest = Substring(text)
        while !rest.isEmpty {
            let piece = rest.prefix(size)
            rest = rest.dropFirst(piece.count)
            if delayMs > 0 { try await Task.sleep(for: .milliseconds(delayMs)) }
            try Task.checkCancellation()
            out.yield(make(String(piece)))
        }
    }
}
