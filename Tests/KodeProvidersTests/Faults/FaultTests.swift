import Foundation
import KodeKernel
import KodeProviders
import KodeTestSupport
import Testing

@Suite("Faults over a loopback server")
struct FaultTests {
    private func anthropic(_ server: LoopbackHTTPServer, _ client: SharedHTTPClient, policy: FaultPolicy = testPolicy) -> HTTPModelProvider {
        HTTPModelProvider(.anthropic, model: "claude-sonnet-4-5", apiKey: "sk-ant-secret-key-123", baseURL: server.baseURL(), client: client, policy: policy)
    }

    @Test func rateLimitWithRetryAfterThenSuccess() async throws {
        try await withLoopback([
            .text(status: 429, #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#, headers: [("retry-after", "0.2")]),
            .sse(Transcripts.Anthropic.text, chunkSize: 40),
        ]) { server, client in
            let started = ContinuousClock.now
            let result = await collect(anthropic(server, client).stream(sampleRequest()))
            let elapsed = ContinuousClock.now - started
            #expect(result.error == nil)
            #expect(result.text == "Hello, wörld ✓ 😀\n\"quoted\"")
            #expect(server.requests.count == 2)
            #expect(elapsed >= .milliseconds(200), "retry-after must be honoured")
        }
    }

    @Test func httpDateRetryAfterIsUnderstood() {
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // 2015-10-21 07:27:50 GMT
        let delay = RetryAfter.delay(headers: [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")], now: now)
        #expect(delay == .seconds(10))
        #expect(RetryAfter.delay(headers: [("retry-after", "3")]) == .seconds(3))
        #expect(RetryAfter.delay(headers: [("retry-after-ms", "250")]) == .milliseconds(250))
        #expect(RetryAfter.delay(headers: [("retry-after", "soon")]) == nil)
    }

    @Test func serverErrorThreeTimesThenGivesUpWithAClearError() async throws {
        let failure = LoopbackHTTPServer.Response.text(status: 500, #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#)
        try await withLoopback([failure, failure, failure]) { server, client in
            let policy = FaultPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(10), idleTimeout: .seconds(30))
            let result = await collect(anthropic(server, client, policy: policy).stream(sampleRequest()))
            let error = try #require(result.modelError)
            #expect(error.kind == .server)
            #expect(error.httpStatus == 500)
            #expect(error.message == "anthropic: HTTP 500: Internal server error (after 3 attempts)")
            #expect(result.events.isEmpty)
            #expect(server.requests.count == 3)
        }
    }

    @Test func unauthorizedIsNotRetriedAndHintsAtTheKey() async throws {
        try await withLoopback([
            .text(status: 401, #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key sk-ant-secret-key-123"}}"#)
        ]) { server, client in
            let result = await collect(anthropic(server, client).stream(sampleRequest()))
            let error = try #require(result.modelError)
            #expect(error.kind == .authentication)
            #expect(error.message.contains("check ANTHROPIC_API_KEY"))
            #expect(!error.message.contains("sk-ant-secret-key-123"), "the key must never appear in errors")
            #expect(server.requests.count == 1)
        }
    }

    @Test(.timeLimit(.minutes(1))) func connectionClosedMidStreamIsStreamCutAfterPartialOutput() async throws {
        let text = Transcripts.Anthropic.text
        // Cut inside the second text delta: the first ("Hello") has fully arrived.
        let marker = text.range(of: "wörld")!
        let cut = text.utf8.distance(from: text.startIndex, to: marker.lowerBound)
        let partial = Array(Array(text.utf8)[..<cut])
        // The server closes only once the client has seen "Hello", however long that takes.
        let helloSeen = AwaitableCounter()
        try await withLoopback([
            .init(status: 200, headers: [("content-type", "text/event-stream")], steps: [.send(partial), .waitFor(helloSeen), .closeConnection])
        ]) { server, client in
            let result = await collect(anthropic(server, client).stream(sampleRequest())) { event in
                if case .textDelta = event { helloSeen.increment() }
            }
            let error = try #require(result.modelError)
            #expect(error.kind == .streamCut)
            #expect(result.text == "Hello", "output before the cut is delivered, and never repeated")
            #expect(server.requests.count == 1, "no retry after partial output")
        }
    }

    @Test func cutBeforeAnyOutputIsRetried() async throws {
        let start = Array(Transcripts.Anthropic.text.utf8.prefix(200))  // part of message_start
        try await withLoopback([
            .init(status: 200, headers: [("content-type", "text/event-stream")], steps: [.send(start), .closeConnection]),
            .sse(Transcripts.Anthropic.text),
        ]) { server, client in
            let result = await collect(anthropic(server, client).stream(sampleRequest()))
            #expect(result.error == nil)
            #expect(result.events.filter { if case .messageStart = $0 { return true } else { return false } }.count == 1)
            #expect(server.requests.count == 2)
        }
    }

    @Test func overloadedMidStreamBeforeContentIsRetried() async throws {
        try await withLoopback([.sse(Transcripts.Anthropic.overloadedMidStream), .sse(Transcripts.Anthropic.text)]) { server, client in
            let result = await collect(anthropic(server, client).stream(sampleRequest()))
            #expect(result.error == nil)
            #expect(result.events.first == .messageStart(id: "msg_01A", model: "claude-sonnet-4-5"))
            #expect(server.requests.count == 2)
        }
    }

    @Test func overloadedEveryTimeEndsRateLimited() async throws {
        let overloaded = LoopbackHTTPServer.Response.text(status: 529, #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
        try await withLoopback([overloaded, overloaded, overloaded, overloaded]) { server, client in
            let result = await collect(anthropic(server, client).stream(sampleRequest()))
            #expect(result.modelError?.kind == .rateLimited)
            #expect(server.requests.count == 4)
        }
    }

    @Test func stallingServerHitsTheIdleTimeout() async throws {
        let head = Array(Transcripts.Anthropic.text.utf8.prefix(400))
        let stall = LoopbackHTTPServer.Response(status: 200, headers: [("content-type", "text/event-stream")], steps: [.send(head), .stall])
        try await withLoopback([stall, stall]) { server, client in
            let policy = FaultPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), idleTimeout: .milliseconds(300))
            let started = ContinuousClock.now
            let result = await collect(anthropic(server, client, policy: policy).stream(sampleRequest()))
            let error = try #require(result.modelError)
            #expect(error.kind == .timeout)
            // The server never sends again: only the idle timeout can end this. The bound only
            // tells a hang from an answer, with room for a busy machine.
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }

    @Test func stallBeforeTheResponseHeadAlsoTimesOut() async throws {
        try await withLoopback([.init(stallBeforeHead: true)]) { server, client in
            let policy = FaultPolicy(maxAttempts: 1, idleTimeout: .milliseconds(300))
            let result = await collect(anthropic(server, client, policy: policy).stream(sampleRequest()))
            #expect(result.modelError?.kind == .timeout)
        }
    }

    @Test func malformedJSONChunkIsAClearErrorAndNotRetried() async throws {
        let body = Transcripts.sse([
            ("message_start", #"{"type":"message_start","message":{"id":"m","model":"x","usage":{"input_tokens":1}}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"#),
        ])
        try await withLoopback([.sse(body)]) { server, client in
            let result = await collect(anthropic(server, client).stream(sampleRequest()))
            let error = try #require(result.modelError)
            #expect(error.kind == .malformed)
            #expect(error.message.contains("'content_block_delta' event"))
            #expect(result.events.isEmpty, "nothing is delivered from a reply that failed to parse")
            #expect(server.requests.count == 1)
        }
    }

    @Test(.timeLimit(.minutes(1))) func cancellingTheConsumerStopsTheRequest() async throws {
        // The reply up to its first text delta arrives at once; the rest would take about
        // 20 × 500 ms = 10 s.
        let text = Transcripts.Anthropic.text
        let firstDeltaEnd = try #require(text.range(of: "event: content_block_delta", options: .backwards)).lowerBound
        let rest = LoopbackHTTPServer.Response.sse(String(text[firstDeltaEnd...]), chunkSize: 30, pause: .milliseconds(500))
        let slow = LoopbackHTTPServer.Response(
            status: 200, headers: [("content-type", "text/event-stream")], steps: [.send(Array(text[..<firstDeltaEnd].utf8))] + rest.steps)
        try await withLoopback([slow]) { server, client in
            let provider = anthropic(server, client, policy: FaultPolicy(maxAttempts: 1, idleTimeout: .seconds(10)))
            // The consumer is cancelled once the reply is really streaming: after its first event.
            let firstEventSeen = AwaitableCounter()
            let consumer = Task { await collect(provider.stream(sampleRequest())) { _ in firstEventSeen.increment() } }
            await firstEventSeen.wait(atLeast: 1)
            consumer.cancel()
            let result = await consumer.value
            #expect(!result.events.isEmpty, "the reply was streaming when it was cancelled")
            #expect(!result.events.contains(.messageStop(.endTurn)), "cancellation must not wait for the 10 s body")
            // The server notices at its next write; the test waits for exactly that, however busy
            // the machine is (the time limit only guards against a hang).
            await server.connectionsClosed(atLeast: 1)
            #expect(server.closedConnections == 1, "the HTTP request must be cancelled, not left running")
        }
    }

    @Test func unreachableServerIsATransportError() async throws {
        let client = SharedHTTPClient(connectTimeout: .seconds(1))
        // Port 9 (discard) on loopback is closed on test machines: the connection is refused.
        let provider = HTTPModelProvider(
            .openAI, model: "m", apiKey: nil, baseURL: "http://127.0.0.1:9/v1", client: client,
            policy: FaultPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), idleTimeout: .seconds(3)))
        let result = await collect(provider.stream(sampleRequest()))
        try await client.shutdown()
        let error = try #require(result.modelError)
        #expect(error.kind == .transport || error.kind == .timeout)
        #expect(error.message.contains("127.0.0.1"))
    }
}
