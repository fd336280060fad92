extension Vendor {
    /// Claude through the Anthropic Messages API (`POST {baseURL}/v1/messages`, streaming), with
    /// the key in `x-api-key`.
    public static let anthropic = Vendor(
        name: "anthropic", defaultBaseURL: "https://api.anthropic.com", keyVariable: "ANTHROPIC_API_KEY",
        path: { _ in "/v1/messages" },
        keyHeader: { ("x-api-key", $0) },
        extraHeaders: [("anthropic-version", anthropicAPIVersion)],
        body: { request, _ in AnthropicRequestEncoder.body(for: request) },
        decoder: { AnthropicStreamDecoder() })

    /// The `anthropic-version` header value the decoder follows.
    package static let anthropicAPIVersion = "2023-06-01"
}
