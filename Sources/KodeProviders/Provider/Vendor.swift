import KodeKernel

/// What sets one vendor's streaming API apart from the others: its endpoint, its key header, its
/// request body and its stream decoder. `HTTPModelProvider` does the rest the same way for all.
///
/// The three vendors are `Vendor.anthropic`, `Vendor.openAI` (and every OpenAI-compatible
/// server) and `Vendor.gemini`.
public struct Vendor: Sendable {
    /// `anthropic`, `openai` or `gemini`: the provider name in manifests and messages.
    public let name: String
    /// The API's own base URL, used when none is given.
    public let defaultBaseURL: String
    /// The environment variable that holds the key (`ANTHROPIC_API_KEY`, …).
    public let keyVariable: String
    /// Whether a server on this machine needs no key (local OpenAI-compatible servers).
    package let loopbackNeedsNoKey: Bool
    /// The endpoint after the base URL, for `model` (e.g. `/v1/messages`).
    package let path: @Sendable (_ model: String) -> String
    /// The header field that carries a (non-empty) key.
    package let keyHeader: @Sendable (_ apiKey: String) -> (name: String, value: String)
    /// Header fields sent with every request, after the key.
    package let extraHeaders: [(name: String, value: String)]
    /// The JSON body for `request` (its model already filled in) sent to `baseURL`.
    package let body: @Sendable (_ request: ModelRequest, _ baseURL: String) -> JSONValue
    /// Runs one request with this vendor's decoder. The decoder's type is fixed here, once per
    /// request, so the runner's per-chunk loop stays generic over the concrete decoder.
    package let run: @Sendable (HTTPStreamRequest, SharedHTTPClient, FaultPolicy) -> AsyncThrowingStream<ModelStreamEvent, any Error>

    package init<Decoder: ModelStreamDecoder>(
        name: String, defaultBaseURL: String, keyVariable: String, loopbackNeedsNoKey: Bool = false,
        path: @escaping @Sendable (_ model: String) -> String,
        keyHeader: @escaping @Sendable (_ apiKey: String) -> (name: String, value: String),
        extraHeaders: [(name: String, value: String)] = [],
        body: @escaping @Sendable (_ request: ModelRequest, _ baseURL: String) -> JSONValue,
        decoder: @escaping @Sendable () -> Decoder
    ) {
        self.name = name
        self.defaultBaseURL = defaultBaseURL
        self.keyVariable = keyVariable
        self.loopbackNeedsNoKey = loopbackNeedsNoKey
        self.path = path
        self.keyHeader = keyHeader
        self.extraHeaders = extraHeaders
        self.body = body
        self.run = { request, client, policy in
            ProviderStreamRunner(client: client, policy: policy, request: request, makeDecoder: decoder).stream()
        }
    }

    /// Every vendor, in the order the CLI looks for a key when no provider is named.
    public static let all: [Vendor] = [.anthropic, .openAI, .gemini]

    /// The vendor called `name`, or nil.
    public static func named(_ name: String) -> Vendor? { all.first { $0.name == name } }
}
