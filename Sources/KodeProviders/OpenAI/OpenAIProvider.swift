import KodeKernel

/// Any OpenAI-compatible chat completions server: OpenAI, DeepSeek, Qwen, Groq, Cerebras, and
/// local servers such as Ollama, llama.cpp and vLLM (`POST {baseURL}/chat/completions`).
public struct OpenAIProvider: ModelProvider {
    /// The API's own default base URL.
    public static let defaultBaseURL = "https://api.openai.com/v1"

    /// Name, model and base URL.
    public let info: ProviderInfo
    private let apiKey: String?
    private let client: SharedHTTPClient
    private let policy: FaultPolicy

    /// A provider for `model` at `baseURL` (default `https://api.openai.com/v1`). `apiKey` may be
    /// nil for local servers; then no `Authorization` header is sent.
    public init(model: String, apiKey: String?, baseURL: String? = nil, client: SharedHTTPClient, policy: FaultPolicy = FaultPolicy()) {
        self.info = ProviderInfo(name: "openai", model: model, baseURL: baseURL ?? Self.defaultBaseURL)
        self.apiKey = apiKey
        self.client = client
        self.policy = policy
    }

    /// Streams one reply. `request.model` wins over the configured model when non-empty.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        var request = request
        if request.model.isEmpty { request.model = info.model }
        let base = info.baseURL ?? Self.defaultBaseURL
        var headers: [(name: String, value: String)] = [("content-type", "application/json"), ("accept", "text/event-stream")]
        if let apiKey, !apiKey.isEmpty { headers.append(("authorization", "Bearer \(apiKey)")) }
        let isOpenAI = base.contains("api.openai.com")
        let http = HTTPStreamRequest(
            url: BaseURL.join(base, "/chat/completions"),
            headers: headers,
            body: Array(OpenAIRequestEncoder.body(for: request, useMaxCompletionTokens: isOpenAI).compactText.utf8),
            vendor: VendorIdentity(name: "openai", keyVariable: "OPENAI_API_KEY", secret: apiKey))
        return ProviderStreamRunner(client: client, policy: policy, request: http, makeDecoder: { OpenAIStreamDecoder() }).stream()
    }
}
