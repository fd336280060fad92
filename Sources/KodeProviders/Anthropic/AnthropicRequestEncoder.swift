import KodeKernel

/// Builds the Messages API request body (`POST /v1/messages`, `stream: true`).
package enum AnthropicRequestEncoder {
    /// The JSON body for `request`. Thinking blocks go back with their signatures (the API
    /// requires them before tool results when thinking is on), and redacted thinking goes back
    /// as the `redacted_thinking` blocks it came as (see `RedactedThinking`); unsigned thinking
    /// and empty text blocks are dropped because the API rejects them. Without
    /// `retainThinking`, thinking of turns before the current one is left out.
    package static func body(for request: ModelRequest) -> JSONValue {
        let retained = ThinkingRetention.firstRetained(request)
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "stream": true,
            "messages": .array(request.messages.enumerated().compactMap { message($1, thinking: $0 >= retained) }),
        ]
        var maxTokens = request.maxTokens
        if let budget = request.thinkingBudget, budget > 0 {
            // The API requires max_tokens to exceed the thinking budget.
            if maxTokens <= budget { maxTokens = budget + request.maxTokens }
            body["thinking"] = ["type": "enabled", "budget_tokens": .int(budget)]
        }
        body["max_tokens"] = .int(maxTokens)
        if let system = request.system, !system.isEmpty { body["system"] = .string(system) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                ["name": .string(tool.name), "description": .string(tool.description), "input_schema": tool.inputSchema]
            })
        }
        return .object(body)
    }

    private static func message(_ message: Message, thinking: Bool) -> JSONValue? {
        let blocks = message.content.flatMap { block -> [JSONValue] in
            if !thinking, case .thinking = block { return [] }
            return Self.blocks(block)
        }
        guard !blocks.isEmpty else { return nil }
        return ["role": .string(message.role.rawValue), "content": .array(blocks)]
    }

    private static func blocks(_ block: ContentBlock) -> [JSONValue] {
        switch block {
        case .text(let text):
            return text.isEmpty ? [] : [["type": "text", "text": .string(text)]]
        case .thinking(let text, let signature):
            return thinkingBlocks(text: text, signature: signature ?? "")
        case .toolUse(let id, let name, let input):
            return [["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]]
        case .toolResult(let id, let content, let isError):
            return [["type": "tool_result", "tool_use_id": .string(id), "content": .string(content), "is_error": .bool(isError)]]
        }
    }

    /// The thinking block (if signed) and the redacted blocks stored in its signature, in the
    /// order they streamed: the thinking block stands where its signature began.
    private static func thinkingBlocks(text: String, signature stored: String) -> [JSONValue] {
        let parts = RedactedThinking.parts(of: stored)
        let signature = parts.map { part in
            if case .signature(let piece) = part { return piece }
            return ""
        }.joined()
        var blocks: [JSONValue] = []
        var placedThinking = false
        for part in parts {
            switch part {
            case .redacted(let data):
                blocks.append(["type": "redacted_thinking", "data": .string(data)])
            case .signature:
                guard !placedThinking else { continue }
                placedThinking = true
                blocks.append(["type": "thinking", "thinking": .string(text), "signature": .string(signature)])
            }
        }
        return blocks
    }
}
