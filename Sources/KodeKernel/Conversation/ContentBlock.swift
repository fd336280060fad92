import Foundation

/// One block of a message's content. The JSON shape is the one `kode export --json` prints:
/// `{"type":"text","text"}`, `{"type":"thinking","thinking","signature"?}`,
/// `{"type":"tool_use","id","name","input"}`, `{"type":"tool_result","tool_use_id","content","is_error"}`.
public enum ContentBlock: Sendable, Hashable {
    /// Plain text.
    case text(String)
    /// Model reasoning. `signature` is the vendor's opaque token that must be sent back unchanged.
    case thinking(String, signature: String?)
    /// A tool call the model made.
    case toolUse(id: String, name: String, input: JSONValue)
    /// The answer to a tool call, matched by `toolUseId`.
    case toolResult(toolUseId: String, content: String, isError: Bool)
}

extension ContentBlock: Codable {
    private enum Key: String, CodingKey {
        case type, text, thinking, signature, id, name, input
        case toolUseId = "tool_use_id"
        case content
        case isError = "is_error"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "text":
            self = .text(try c.decode(String.self, forKey: .text))
        case "thinking":
            self = .thinking(
                try c.decode(String.self, forKey: .thinking),
                signature: try c.decodeIfPresent(String.self, forKey: .signature))
        case "tool_use":
            self = .toolUse(
                id: try c.decode(String.self, forKey: .id),
                name: try c.decode(String.self, forKey: .name),
                input: try c.decode(JSONValue.self, forKey: .input))
        case "tool_result":
            self = .toolResult(
                toolUseId: try c.decode(String.self, forKey: .toolUseId),
                content: try c.decode(String.self, forKey: .content),
                isError: try c.decodeIfPresent(Bool.self, forKey: .isError) ?? false)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "unknown content block type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .text(let text):
            try c.encode("text", forKey: .type)
            try c.encode(text, forKey: .text)
        case .thinking(let text, let signature):
            try c.encode("thinking", forKey: .type)
            try c.encode(text, forKey: .thinking)
            try c.encodeIfPresent(signature, forKey: .signature)
        case .toolUse(let id, let name, let input):
            try c.encode("tool_use", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(input, forKey: .input)
        case .toolResult(let toolUseId, let content, let isError):
            try c.encode("tool_result", forKey: .type)
            try c.encode(toolUseId, forKey: .toolUseId)
            try c.encode(content, forKey: .content)
            try c.encode(isError, forKey: .isError)
        }
    }
}
