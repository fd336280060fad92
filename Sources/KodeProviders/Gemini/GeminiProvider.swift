import Foundation
import KodeKernel

/// Gemini through the Generative Language API
/// (`POST {baseURL}/v1beta/models/{model}:streamGenerateContent?alt=sse`).
public struct GeminiProvider: ModelProvider {
    /// The API's own default base URL.
    public static let defaultBaseURL = "https://generativelanguage.googleapis.com"

    /// Name, model and base URL.
    public let info: ProviderInfo
    private let apiKey: String
    private let client: SharedHTTPClient
    private let policy: FaultPolicy

    /// A provider for `model` at `baseURL` (default `https://generativelanguage.googleapis.com`).
    /// The key travels in the `x-goog-api-key` header, never in the URL.
    public init(model: String, apiKey: String, baseURL: String? = nil, client: SharedHTTPClient, policy: FaultPolicy = FaultPolicy()) {
        self.info = ProviderInfo(name: "gemini", model: model, baseURL: baseURL ?? Self.defaultBaseURL)
        self.apiKey = apiKey
        self.client = client
        self.policy = policy
    }

    /// Streams one reply. `request.model` wins over the configured model when non-empty.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        let model = request.model.isEmpty ? info.model : request.model
        let escapedModel = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? model
        let http = HTTPStreamRequest(
            url: BaseURL.join(info.baseURL ?? Self.defaultBaseURL, "/v1beta/models/\(escapedModel):streamGenerateContent?alt=sse"),
            headers: [("content-type", "application/json"), ("accept", "text/event-stream"), ("x-goog-api-key", apiKey)],
            body: Array(GeminiRequestEncoder.body(for: request).compactText.utf8),
            vendor: VendorIdentity(name: "gemini", keyVariable: "GEMINI_API_KEY", secret: apiKey))
        return ProviderStreamRunner(client: client, policy: policy, request: http, makeDecoder: { GeminiStreamDecoder() }).stream()
    }
}
