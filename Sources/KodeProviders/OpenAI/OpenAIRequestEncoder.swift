import KodeKernel

/// Builds the chat completions request body (`POST {baseURL}/chat/completions`, streaming).
package enum OpenAIRequestEncoder {
    /// The JSON body for `request`.
    ///
    /// Tool results become `role: tool` messages with their `tool_call_id`, placed before any
    /// text of the same user message so they directly follow the assistant's `tool_calls`.
    /// Thinking is not sent back: DeepSeek-style `reasoning_content` must not be replayed.
    /// `useMaxCompletionTokens` selects OpenAI's newer field name; other servers expect `max_tokens`.
    /// Thinking is asked for with `reasoning_effort` (`low`, `medium`, `high`), which reasoning
    /// models take; a model that does not take it answers with a 400 naming the field.
    package static func body(for request: ModelRequest, useMaxCompletionTokens: Bool) -> JSONValue {
        var messages: [JSONValue] = []
        if let system = request.system, !system.isEmpty {
            messages.append(["role": "system", "content": .string(system)])
        }
        for message in request.messages {
            switch message.role {
            case .user: appendUser(message, to: &messages)
            case .assistant: appendAssistant(message, to: &messages)
            }
        }
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(messages),
            "stream": true,
            "stream_options": ["include_usage": true],
            (useMaxCompletionTokens ? "max_completion_tokens" : "max_tokens"): .int(request.maxTokens),
        ]
        if let effort = request.reasoningEffort { body["reasoning_effort"] = .string(effort) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                [
                    "type": "function",
                    "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.inputSchema],
                ]
            })
        }
        return .object(body)
    }

    private static func appendUser(_ message: Message, to messages: inout [JSONValue]) {
        var text: [String] = []
        for block in message.content {
            switch block {
            case .toolResult(let id, let content, let isError):
                // The chat format has no error flag, so an error is said in words.
                messages.append(["role": "tool", "tool_call_id": .string(id), "content": .string(isError ? "Error: \(content)" : content)])
            case .text(let value) where !value.isEmpty:
                text.append(value)
            default:
                break
            }
        }
        if !text.isEmpty { messages.append(["role": "user", "content": .string(text.joined(separator: "\n\n"))]) }
    }

    private static func appendAssistant(_ message: Message, to messages: inout [JSONValue]) {
        let text = message.text
        var calls: [JSONValue] = []
        for (id, name, input) in message.toolUses {
            calls.append(["id": .string(id), "type": "function", "function": ["name": .string(name), "arguments": .string(input.compactText)]])
        }
        guard !text.isEmpty || !calls.isEmpty else { return }
        var entry: [String: JSONValue] = ["role": "assistant", "content": text.isEmpty ? .null : .string(text)]
        if !calls.isEmpty { entry["tool_calls"] = .array(calls) }
        messages.append(.object(entry))
    }
}
