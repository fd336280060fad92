import KodeKernel

/// Builds the Messages API request body (`POST /v1/messages`, `stream: true`).
public enum AnthropicRequestEncoder {
    /// The JSON body for `request`. Thinking blocks go back with their signatures (the API
    /// requires them before tool results when thinking is on); unsigned thinking and empty text
    /// blocks are dropped because the API rejects them.
    public static func body(for request: ModelRequest) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "stream": true,
            "messages": .array(request.messages.compactMap(message)),
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

    private static func message(_ message: Message) -> JSONValue? {
        let blocks = message.content.compactMap(block)
        guard !blocks.isEmpty else { return nil }
        return ["role": .string(message.role.rawValue), "content": .array(blocks)]
    }

    private static func block(_ block: ContentBlock) -> JSONValue? {
        switch block {
        case .text(let text):
            return text.isEmpty ? nil : ["type": "text", "text": .string(text)]
        case .thinking(let text, let signature):
            guard let signature, !signature.isEmpty else { return nil }
            return ["type": "thinking", "thinking": .string(text), "signature": .string(signature)]
        case .toolUse(let id, let name, let input):
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
        case .toolResult(let id, let content, let isError):
            return ["type": "tool_result", "tool_use_id": .string(id), "content": .string(content), "is_error": .bool(isError)]
        }
    }
}
