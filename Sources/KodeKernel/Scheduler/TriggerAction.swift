/// What a trigger does when it fires.
public enum TriggerAction: Sendable, Hashable {
    /// A `<system-reminder>` the model gets with its next model call (it does not start a turn:
    /// an idle agent gets it with the next turn's first call).
    case reminder(String)
    /// A user message queued as input: it starts a turn when the agent is idle, or joins the
    /// running one.
    case message(String)

    /// The text the model is sent.
    public var text: String {
        switch self {
        case .reminder(let text), .message(let text): text
        }
    }

    /// `reminder` or `message`.
    public var kind: String {
        switch self {
        case .reminder: "reminder"
        case .message: "message"
        }
    }
}

extension TriggerAction: Codable {
    private enum Key: String, CodingKey { case kind, text }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let text = try c.decode(String.self, forKey: .text)
        switch try c.decode(String.self, forKey: .kind) {
        case "reminder": self = .reminder(text)
        case "message": self = .message(text)
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown trigger action '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(text, forKey: .text)
    }
}
