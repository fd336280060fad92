import KodeKernel

/// Claude through the Anthropic Messages API (`POST {baseURL}/v1/messages`, streaming).
public struct AnthropicProvider: ModelProvider {
    /// The API's own default base URL.
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// The `anthropic-version` header value this decoder follows.
    public static let apiVersion = "2023-06-01"

    /// Name, model and base URL.
    public let info: ProviderInfo
    private let apiKey: String
    private let client: SharedHTTPClient
    private let policy: FaultPolicy

    /// A provider for `model` at `baseURL` (default `https://api.anthropic.com`).
    public init(model: String, apiKey: String, baseURL: String? = nil, client: SharedHTTPClient, policy: FaultPolicy = FaultPolicy()) {
        self.info = ProviderInfo(name: "anthropic", model: model, baseURL: baseURL ?? Self.defaultBaseURL)
        self.apiKey = apiKey
        self.client = client
        self.policy = policy
    }

    /// Streams one reply. `request.model` wins over the configured model when non-empty.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        var request = request
        if request.model.isEmpty { request.model = info.model }
        let http = HTTPStreamRequest(
            url: BaseURL.join(info.baseURL ?? Self.defaultBaseURL, "/v1/messages"),
            headers: [
                ("content-type", "application/json"),
                ("accept", "text/event-stream"),
                ("x-api-key", apiKey),
                ("anthropic-version", Self.apiVersion),
            ],
            body: Array(AnthropicRequestEncoder.body(for: request).compactText.utf8),
            vendor: VendorIdentity(name: "anthropic", keyVariable: "ANTHROPIC_API_KEY", secret: apiKey))
        return ProviderStreamRunner(client: client, policy: policy, request: http, makeDecoder: { AnthropicStreamDecoder() }).stream()
    }
}
