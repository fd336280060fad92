import Foundation

/// A model behind a streaming API, normalized to one event stream (DESIGN §6).
///
/// `stream` starts the request when iterated; cancelling the consuming task (or dropping the
/// iterator) cancels the underlying request at once.
public protocol ModelProvider: Sendable {
    /// Name, model and whether this is an offline demo.
    var info: ProviderInfo { get }
    /// Streams one assistant reply to `request`.
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error>
}

/// Describes a provider for the status line, the manifest and `agents` listings.
public struct ProviderInfo: Sendable, Hashable, Codable {
    /// `anthropic`, `openai`, `gemini`, `scripted`, `demo`.
    public var name: String
    public var model: String
    public var baseURL: String?
    /// True for offline models that only pretend (the status line marks them).
    public var isDemo: Bool

    public init(name: String, model: String, baseURL: String? = nil, isDemo: Bool = false) {
        self.name = name
        self.model = model
        self.baseURL = baseURL
        self.isDemo = isDemo
    }
}

/// A tool as the model sees it.
public struct ToolDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// One request for one assistant reply.
public struct ModelRequest: Sendable, Hashable {
    public var model: String
    public var system: String?
    public var messages: [Message]
    public var tools: [ToolDefinition]
    public var maxTokens: Int
    /// Token budget for extended thinking, when the vendor supports it; `nil` leaves it off.
    public var thinkingBudget: Int?
    /// What the reply is for: the next step of the conversation, or a compaction's summary.
    public var purpose: RequestPurpose = .reply
    /// Assistant replies the compaction summary at the head of `messages` stands for (0 without
    /// one): a scripted model adds them to pick its turn.
    public var compactedAssistantReplies = 0
    /// `low`, `medium` or `high` for vendors that take an effort instead of a budget
    /// (OpenAI-compatible `reasoning_effort`); `nil` leaves it off.
    public var reasoningEffort: String?
    /// Send back the thinking of earlier turns too; when false only the current turn's (after the
    /// last message with the person's text) goes back, which is all the vendors require.
    public var retainThinking: Bool

    public init(model: String, system: String? = nil, messages: [Message], tools: [ToolDefinition] = [], maxTokens: Int = 8192,
                thinkingBudget: Int? = nil, reasoningEffort: String? = nil, retainThinking: Bool = true) {
        self.model = model
        self.system = system
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.thinkingBudget = thinkingBudget
        self.reasoningEffort = reasoningEffort
        self.retainThinking = retainThinking
    }
}

/// Why a request is made.
public enum RequestPurpose: String, Sendable, Hashable, Codable {
    /// The conversation's next assistant reply.
    case reply
    /// A summary of the older conversation, for a compaction (docs/AGENT.md, "Long sessions").
    case summary
}

/// Why the model stopped.
public enum StopReason: Sendable, Hashable, Codable {
    case endTurn
    case toolUse
    case maxTokens
    case stopSequence
    case other(String)
}

/// Tokens spent on one reply.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var input: Int
    public var output: Int
    public var cacheRead: Int
    public var cacheWrite: Int

    public init(input: Int = 0, output: Int = 0, cacheRead: Int = 0, cacheWrite: Int = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
    }

    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite)
    }
}

/// The normalized stream every provider produces (DESIGN §6).
public enum ModelStreamEvent: Sendable, Hashable {
    case messageStart(id: String?, model: String?)
    case textDelta(String)
    case thinkingDelta(String)
    /// The vendor's signature for the thinking so far; kept and sent back unchanged.
    case thinkingSignature(String)
    /// A tool call begins; `index` identifies it in the following deltas.
    case toolUseStart(index: Int, id: String, name: String)
    /// A piece of the tool input's JSON text.
    case toolInputDelta(index: Int, json: String)
    case toolUseEnd(index: Int)
    /// Usage so far; later values replace earlier ones field by field when non-zero.
    case usage(TokenUsage)
    case messageStop(StopReason)
}

/// Why a model call failed. `message` is for people; it never contains an API key.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Bad key or permissions: not retried.
        case authentication
        /// 429 or overloaded, after the retry budget.
        case rateLimited
        /// 5xx after the retry budget.
        case server
        /// The request was refused (4xx other than auth and rate limits).
        case badRequest
        /// The connection dropped mid-stream.
        case streamCut
        /// Connect or idle-read timeout.
        case timeout
        /// The vendor sent something that does not parse.
        case malformed
        /// Could not connect.
        case transport
    }

    public var kind: Kind
    public var message: String
    public var httpStatus: Int?

    public init(_ kind: Kind, _ message: String, httpStatus: Int? = nil) {
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
    }

    public var description: String { message }
}
