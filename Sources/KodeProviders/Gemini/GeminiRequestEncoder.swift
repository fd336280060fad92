import KodeKernel

/// Builds the `streamGenerateContent` request body.
package enum GeminiRequestEncoder {
    /// The JSON body for `request`.
    ///
    /// Assistant turns become `role: model` contents; tool results become `functionResponse`
    /// parts named after the call they answer (Gemini pairs them by name and order). Thought
    /// text is not replayed, but the thought signature is: on the first `functionCall` part of
    /// the turn, or else on its last part, as Gemini requires for multi-step tool use (without
    /// `retainThinking`, only in the current turn). A thinking budget asks for thoughts too.
    package static func body(for request: ModelRequest) -> JSONValue {
        var namesByCallID: [String: String] = [:]
        for message in request.messages {
            for call in message.toolUses { namesByCallID[call.id] = call.name }
        }
        var contents: [JSONValue] = []
        let retained = ThinkingRetention.firstRetained(request)
        for (index, message) in request.messages.enumerated() {
            let parts: [JSONValue]
            switch message.role {
            case .user: parts = userParts(message, names: namesByCallID)
            case .assistant: parts = modelParts(message, signatures: index >= retained)
            }
            if parts.isEmpty { continue }
            contents.append(["role": message.role == .user ? "user" : "model", "parts": .array(parts)])
        }
        var generation: [String: JSONValue] = ["maxOutputTokens": .int(request.maxTokens)]
        if let budget = request.thinkingBudget, budget > 0 {
            generation["thinkingConfig"] = ["thinkingBudget": .int(budget), "includeThoughts": true]
        }
        var body: [String: JSONValue] = ["contents": .array(contents), "generationConfig": .object(generation)]
        if let system = request.system, !system.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(system)]]]
        }
        if !request.tools.isEmpty {
            let declarations: [JSONValue] = request.tools.map { tool in
                var declaration: [String: JSONValue] = ["name": .string(tool.name), "description": .string(tool.description)]
                if let parameters = GeminiSchema.parameters(tool.inputSchema) { declaration["parameters"] = parameters }
                return .object(declaration)
            }
            body["tools"] = [["functionDeclarations": .array(declarations)]]
        }
        return .object(body)
    }

    private static func userParts(_ message: Message, names: [String: String]) -> [JSONValue] {
        message.content.compactMap { block -> JSONValue? in
            switch block {
            case .text(let text):
                return text.isEmpty ? nil : ["text": .string(text)]
            case .toolResult(let id, let content, let isError):
                let response: JSONValue = isError ? ["error": .string(content)] : ["content": .string(content)]
                return ["functionResponse": ["name": .string(names[id] ?? id), "response": response]]
            case .thinking, .toolUse:
                return nil
            }
        }
    }

    private static func modelParts(_ message: Message, signatures sendSignatures: Bool) -> [JSONValue] {
        var signatures: [String] = []
        var parts: [[String: JSONValue]] = []
        var firstCall: Int? = nil
        for block in message.content {
            switch block {
            case .thinking(_, let signature):
                if sendSignatures, let signature, !signature.isEmpty { signatures.append(signature) }
            case .text(let text):
                if !text.isEmpty { parts.append(["text": .string(text)]) }
            case .toolUse(_, let name, let input):
                if firstCall == nil { firstCall = parts.count }
                parts.append(["functionCall": ["name": .string(name), "args": input]])
            case .toolResult:
                break
            }
        }
        if let signature = signatures.first {
            if let firstCall {
                parts[firstCall]["thoughtSignature"] = .string(signature)
            } else if !parts.isEmpty {
                parts[parts.count - 1]["thoughtSignature"] = .string(signatures.last ?? signature)
            } else {
                parts.append(["text": "", "thoughtSignature": .string(signature)])
            }
        }
        return parts.map { .object($0) }
    }
}
