import AsyncHTTPClient
import Foundation
import KodeKernel
import KodeProviders
import KodeTestSupport
import NIOCore
import Testing

@Suite("example-sse-server")
struct SSEServerExampleTests {
    @Test("a posted message starts a turn whose events stream as SSE; reconnecting with since or Last-Event-ID repeats and loses nothing; a restarted server resumes the agent")
    func streamReconnectAndResume() async throws {
        let dir = try TemporaryDirectory(prefix: "example-sse-server")
        let store = dir.appending("store").path
        var server = try await SSEServer.start(store: store)

        // First message: the agent is created; its turn streams from the bookmark the reply gives.
        let first = try await server.post("alice", #"{"text": "hello"}"#)
        #expect(first.status == 202, "\(first.body)")
        let accepted = try JSONValue.parse(first.body)
        let agent = try #require(accepted["agent"]?.stringValue)
        #expect(agent.hasPrefix("agt_"))
        #expect(accepted["created"] == .bool(true))
        let since = UInt64(try #require(accepted["since"]?.intValue))
        let turn1 = try await server.events("alice", query: "since=\(since)", untilDone: 1)
        #expect(turn1.allSatisfy { $0.seq > since && $0.agentId == agent })
        #expect(turn1.map(\.seq) == turn1.map(\.seq).sorted() && Set(turn1.map(\.seq)).count == turn1.count)
        #expect(SSEServer.text(of: turn1) == "Hello! This reply reaches you as Server-Sent Events, one per chunk, each with its bookmark as the id.")
        let lastSeen = try #require(turn1.last?.seq)

        // Second message to the same key: the same agent, resumed rather than created.
        let second = try await server.post("alice", #"{"text": "and again"}"#)
        #expect(second.status == 202, "\(second.body)")
        let acceptedAgain = try JSONValue.parse(second.body)
        #expect(acceptedAgain["agent"]?.stringValue == agent)
        #expect(acceptedAgain["created"] == .bool(false))

        // A browser reconnects with Last-Event-ID (it wins over the URL's older since).
        let turn2 = try await server.events("alice", query: "since=\(since)", lastEventID: "\(lastSeen)", untilDone: 1)
        #expect(turn2.first.map { $0.seq > lastSeen } == true)
        #expect(SSEServer.text(of: turn2) == "Second reply: reconnect with since or Last-Event-ID and you get only what you have not seen.")

        // Everything from the start: exactly the two streams above after `since`, nothing more, nothing missing.
        let everything = try await server.events("alice", query: "since=0", untilDone: 2)
        #expect(everything.filter { $0.seq > since }.map(\.seq) == (turn1 + turn2).map(\.seq))
        #expect(everything.filter { $0.seq > since } == turn1 + turn2)

        // Reconnecting in the middle of a turn gives its rest.
        let middle = turn1[turn1.count / 2].seq
        let rest = try await server.events("alice", query: "since=\(middle)", untilDone: 1)
        #expect(rest == Array(turn1.drop { $0.seq <= middle }))

        // SIGTERM ends a stream that is open (its body ends cleanly) and then the server; a new
        // server resumes the agent for the key.
        let open = try await server.stream("alice", query: "since=\(everything.last?.seq ?? 0)")
        try await server.stop()
        // What it still replayed came after the last `done` (the checkpoint the turn ended with).
        let tail = try await SSEServer.read(open, untilDone: nil)
        #expect(tail.allSatisfy { $0.seq > everything.last?.seq ?? 0 && $0.event.type != .done })
        server = try await SSEServer.start(store: store)
        let third = try await server.post("alice", #"{"text": "after a restart"}"#)
        #expect(third.status == 202, "\(third.body)")
        let afterRestart = try JSONValue.parse(third.body)
        #expect(afterRestart["agent"]?.stringValue == agent)
        #expect(afterRestart["created"] == .bool(false))
        let resumedSince = UInt64(try #require(afterRestart["since"]?.intValue))
        #expect(resumedSince >= (everything.last?.seq ?? 0))
        let turn3 = try await server.events("alice", query: "since=\(resumedSince)", untilDone: 1)
        #expect(SSEServer.text(of: turn3) == "Third reply, from an agent the server resumed from its store.")
        try await server.stop()
    }

    @Test("bad input gets a 4xx with a message saying what is wrong")
    func badInput() async throws {
        let dir = try TemporaryDirectory(prefix: "example-sse-server")
        let server = try await SSEServer.start(store: dir.appending("store").path)

        let unknown = try await server.get("/agents/nobody/events")
        #expect(unknown.status == 404)
        #expect(unknown.body.contains("no agent for 'nobody' yet: POST /agents/nobody/messages creates it"))

        let notJSON = try await server.post("bob", "text=hi")
        #expect(notJSON.status == 400)
        #expect(notJSON.body.contains("the body must be JSON like"))
        let noText = try await server.post("bob", #"{"txt": "hi"}"#)
        #expect(noText.status == 400)
        #expect(noText.body.contains(#"\"text\" is missing"#))
        let wrongType = try await server.post("bob", #"{"text": 7}"#)
        #expect(wrongType.status == 400)
        #expect(wrongType.body.contains(#"\"text\" must be a string"#))
        let empty = try await server.post("bob", #"{"text": "  "}"#)
        #expect(empty.status == 400)
        #expect(empty.body.contains("is empty"))
        let badKey = try await server.post("bob.smith", #"{"text": "hi"}"#)
        #expect(badKey.status == 400)
        #expect(badKey.body.contains("'bob.smith' is not a conversation key"))
        let huge = try await server.post("bob", #"{"text": ""# + String(repeating: "x", count: 1 << 20) + #""}"#)
        #expect(huge.status == 413)
        #expect(huge.body.contains("larger than"))
        // None of those made an agent.
        #expect(try await server.get("/agents/bob/events").status == 404)

        #expect(try await server.post("bob", #"{"text": "hi"}"#).status == 202)
        let badSince = try await server.get("/agents/bob/events?since=yesterday")
        #expect(badSince.status == 400)
        #expect(badSince.body.contains("since must be a bookmark: the id of an event (a whole number ≥ 0), not 'yesterday'"))
        let badHeader = try await server.get("/agents/bob/events", headers: ["Last-Event-ID": "-3"])
        #expect(badHeader.status == 400)
        #expect(badHeader.body.contains("the Last-Event-ID header must be a bookmark"))
        try await server.stop()
    }
}

extension SSEServerExampleTests {
    @Test("two first messages for one key at once make one agent, which gets both")
    func concurrentFirstMessages() async throws {
        let dir = try TemporaryDirectory(prefix: "example-sse-server")
        let server = try await SSEServer.start(store: dir.appending("store").path)
        async let a = server.post("dave", #"{"text": "one"}"#)
        async let b = server.post("dave", #"{"text": "two"}"#)
        let replies = try await [a, b].map { try JSONValue.parse($0.body) }
        #expect(Set(replies.compactMap { $0["agent"]?.stringValue }).count == 1)
        #expect(replies.filter { $0["created"] == .bool(true) }.count == 1)
        let agent = try #require(replies.first?["agent"]?.stringValue)
        let store = try FileStore(root: dir.appending("store"))
        #expect(try await store.list().map(\.id) == [agent])
        try await server.stop()
        let state = try AgentState.rebuild(from: try await store.history(of: agent))
        // Whether the second joined the first's turn or started its own depends on timing; both arrived.
        let said = state.messages.filter { $0.role == .user }.map(\.text).joined(separator: "\n")
        #expect(said.contains("one") && said.contains("two"))
    }

    @Test("an idle stream gets keep-alive comments, which SSE clients skip")
    func heartbeat() async throws {
        let dir = try TemporaryDirectory(prefix: "example-sse-server")
        let server = try await SSEServer.start(store: dir.appending("store").path, options: ["--heartbeat", "0.05"])
        #expect(try await server.post("carol", #"{"text": "hi"}"#).status == 202)
        // From seq 0: the whole turn, then nothing but comments.
        let response = try await server.stream("carol", query: "since=0")
        var raw = ""
        for try await buffer in response.body {
            raw += String(buffer: buffer)
            if raw.contains("event: done\n"), raw.hasSuffix(": keep-alive\n\n") { break }
        }
        #expect(raw.contains("event: done\n"))
        #expect(raw.hasSuffix(": keep-alive\n\n"))
        try await server.stop()
    }
}

/// The example server as a child process on a free loopback port, and a real HTTP client for it.
private struct SSEServer {
    let process: RunningProcess
    let base: String

    static func start(store: String, options: [String] = []) async throws -> SSEServer {
        let port = try FreePort.loopback()
        let process = try ExampleProgram.start("sse-server", ["--scripted", "--store", store, "--port", "\(port)"] + options)
        try await process.waitForOutput("listening on http://127.0.0.1:\(port)")
        return SSEServer(process: process, base: "http://127.0.0.1:\(port)")
    }

    /// SIGTERM, then the exit: open streams must end for the server to stop.
    func stop() async throws {
        process.signal(SIGTERM)
        let result = try await process.finish(timeout: .seconds(60))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("stopped"))
    }

    func post(_ key: String, _ body: String) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: base + "/agents/\(key)/messages")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: base + path)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> (status: UInt, body: String) {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: body))
    }

    /// Reads the SSE stream of `key` until the `untilDone`-th `done` event, then hangs up.
    func events(_ key: String, query: String, lastEventID: String? = nil, untilDone: Int) async throws -> [EventEnvelope] {
        let response = try await stream(key, query: query, lastEventID: lastEventID)
        return try await Self.read(response, untilDone: untilDone)
    }

    /// Opens the SSE stream of `key`. When this returns the server has subscribed: it answers
    /// only after that.
    func stream(_ key: String, query: String, lastEventID: String? = nil) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: base + "/agents/\(key)/events?\(query)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
        return response
    }

    /// The envelopes of a stream up to the `untilDone`-th `done` event (then hangs up), or to the
    /// end of the stream with `nil`. Checks that each event's `id:` is its envelope's seq and
    /// `event:` its type.
    static func read(_ response: HTTPClientResponse, untilDone: Int?) async throws -> [EventEnvelope] {
        let decoder = EventEnvelope.lineDecoder()
        var sse = SSEDecoder()
        var envelopes: [EventEnvelope] = []
        var dones = 0
        for try await buffer in response.body {
            var batch: [SSEEvent] = []
            sse.decode(buffer, into: &batch)
            for event in batch {
                let envelope = try decoder.decode(EventEnvelope.self, from: Data(event.data.utf8))
                #expect(event.id == "\(envelope.seq)")
                #expect(event.event == envelope.event.type.rawValue)
                envelopes.append(envelope)
                if envelope.event.type == .done { dones += 1 }
                if dones == untilDone { return envelopes }
            }
        }
        if let untilDone { Issue.record("the stream ended after \(dones) of \(untilDone) done events") }
        return envelopes
    }

    /// The reply text the envelopes carry.
    static func text(of envelopes: [EventEnvelope]) -> String {
        envelopes.compactMap { if case .textChunk(let chunk) = $0.event { chunk.delta } else { nil } }.joined()
    }
}
