import KodeKernel
import KodeProviders
import KodeTestSupport

/// Starts a loopback server and a shared HTTP client, runs `body`, then shuts both down.
func withLoopback<T>(
    _ responses: [LoopbackHTTPServer.Response],
    _ body: (LoopbackHTTPServer, SharedHTTPClient) async throws -> T
) async throws -> T {
    let server = try await LoopbackHTTPServer.start(responses)
    let client = SharedHTTPClient(connectTimeout: .seconds(2))
    do {
        let result = try await body(server, client)
        try await client.shutdown()
        await server.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        await server.shutdown()
        throw error
    }
}

/// Fast retries and a short idle timeout, so fault tests take milliseconds.
let testPolicy = FaultPolicy(
    maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxRetryAfter: .seconds(5),
    // Generous: on a loaded machine a slow first byte must not look like a stall. The stall
    // tests pass their own short timeout.
    idleTimeout: .seconds(10))

/// Everything the stream produced, and how it ended.
struct Collected {
    var events: [ModelStreamEvent] = []
    var error: (any Error)?

    var modelError: ModelError? { error as? ModelError }
    var text: String {
        events.compactMap { if case .textDelta(let t) = $0 { return t } else { return nil } }.joined()
    }
}

/// Reads `stream` to its end, calling `onEvent` with each event as it arrives (a test signals
/// the server from there, e.g. once the first delta is in).
func collect(
    _ stream: AsyncThrowingStream<ModelStreamEvent, any Error>, onEvent: (ModelStreamEvent) -> Void = { _ in }
) async -> Collected {
    var collected = Collected()
    do {
        for try await event in stream {
            collected.events.append(event)
            onEvent(event)
        }
    } catch {
        collected.error = error
    }
    return collected
}

/// A small request with one tool.
func sampleRequest(model: String = "") -> ModelRequest {
    ModelRequest(
        model: model, system: "Be brief.",
        messages: [Message(role: .user, content: [.text("Hi")])],
        tools: [ToolDefinition(name: "fs_read", description: "Read a file", inputSchema: ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]])])
}
