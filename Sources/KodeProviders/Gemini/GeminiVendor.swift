import Foundation

extension Vendor {
    /// Gemini through the Generative Language API
    /// (`POST {baseURL}/v1beta/models/{model}:streamGenerateContent?alt=sse`). The key travels in
    /// the `x-goog-api-key` header, never in the URL.
    public static let gemini = Vendor(
        name: "gemini", defaultBaseURL: "https://generativelanguage.googleapis.com", keyVariable: "GEMINI_API_KEY",
        path: { model in
            let escaped = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? model
            return "/v1beta/models/\(escaped):streamGenerateContent?alt=sse"
        },
        keyHeader: { ("x-goog-api-key", $0) },
        body: { request, _ in GeminiRequestEncoder.body(for: request) },
        decoder: { GeminiStreamDecoder() })
}
