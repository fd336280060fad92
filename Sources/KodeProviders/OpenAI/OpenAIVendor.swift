extension Vendor {
    /// Any OpenAI-compatible chat completions server (`POST {baseURL}/chat/completions`): OpenAI,
    /// DeepSeek, Qwen, Groq, Cerebras, and local servers such as Ollama, llama.cpp and vLLM,
    /// which need no key. The key goes in `Authorization: Bearer`.
    public static let openAI = Vendor(
        name: "openai", defaultBaseURL: "https://api.openai.com/v1", keyVariable: "OPENAI_API_KEY", loopbackNeedsNoKey: true,
        path: { _ in "/chat/completions" },
        keyHeader: { ("authorization", "Bearer \($0)") },
        // api.openai.com wants `max_completion_tokens`; other servers only know `max_tokens`.
        body: { request, baseURL in OpenAIRequestEncoder.body(for: request, useMaxCompletionTokens: baseURL.contains("api.openai.com")) },
        decoder: { OpenAIStreamDecoder() })
}
