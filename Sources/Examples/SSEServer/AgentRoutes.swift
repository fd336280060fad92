import Foundation
import Hummingbird
import KodeExampleSupport
import KodeKernel
import NIOCore

/// The two endpoints:
///
/// - `POST /agents/:key/messages` with `{"text": "…"}`: resumes the conversation's agent, or
///   creates it on the first message, queues the text (durable before the reply) and starts a
///   turn. Answers 202 with the agent id and the bookmark to stream the turn from.
/// - `GET /agents/:key/events?since=SEQ` (or a `Last-Event-ID: SEQ` header): the agent's
///   events as SSE, the stored ones after SEQ first, then live ones.
struct AgentRoutes: Sendable {
    let hub: LocalAgentHub
    let sessions: SessionDirectory
    let newAgent: AgentConfig
    let heartbeat: Duration
    /// The most a message body may be.
    static let maxBody = 1 << 20

    func register(on router: Router<BasicRequestContext>) {
        router.post("/agents/:key/messages") { request, context in
            await respond { try await postMessage(request, key: context.parameters.get("key") ?? "") }
        }
        router.get("/agents/:key/events") { request, context in
            await respond { try await streamEvents(request, key: context.parameters.get("key") ?? "") }
        }
    }

    // MARK: Handlers

    private struct MessageRequest: Decodable {
        var text: String
    }

    private struct MessageAccepted: Encodable {
        var key: String
        var agent: AgentID
        var created: Bool
        var input: String
        /// Every event of the new turn has a seq above this.
        var since: UInt64
        var events: String
    }

    private func postMessage(_ request: Request, key: String) async throws -> Response {
        try validate(key)
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxBody)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "the message body is larger than \(Self.maxBody) bytes")
        }
        let message: MessageRequest
        do {
            message = try JSONDecoder().decode(MessageRequest.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError(.badRequest, "the body must be JSON like {\"text\": \"…\"}: \(DecodingProblem.describe(error))")
        }
        guard !message.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(.badRequest, "\"text\" is empty: send something for the agent to answer")
        }
        let (hub, config) = (self.hub, newAgent)
        let (id, created) = try await sessions.agent(for: key) {
            let handle = try await hub.create(config)
            await handle.release(.leave)
            return handle.id
        }
        let handle = try await open(id, key: key)
        defer { Task { await handle.release(.leave) } }
        let since = try await handle.status().lastSeq
        let input = try await handle.send(message.text)
        let accepted = MessageAccepted(key: key, agent: id, created: created, input: input, since: since,
                                       events: "/agents/\(key)/events?since=\(since)")
        return try json(accepted, status: .accepted)
    }

    private func streamEvents(_ request: Request, key: String) async throws -> Response {
        try validate(key)
        // A reconnecting EventSource sends the last id it saw; that is newer than the URL's `since`.
        let since: UInt64?
        if let last = request.headers.first(where: { $0.name.canonicalName == "last-event-id" })?.value {
            since = try bookmark(last, from: "the Last-Event-ID header")
        } else if let query = request.uri.queryParameters["since"] {
            since = try bookmark(String(query), from: "since")
        } else {
            since = nil
        }
        guard let id = try await sessions.agent(for: key) else {
            throw APIError(.notFound, "no agent for '\(key)' yet: POST /agents/\(key)/messages creates it")
        }
        let handle = try await open(id, key: key)
        let body: ResponseBody
        do {
            body = try await EventStream.body(for: handle, since: since, heartbeat: heartbeat)
        } catch {
            await handle.release(.leave)
            throw error
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: Pieces

    private func validate(_ key: String) throws {
        do {
            try SessionDirectory.validate(key)
        } catch {
            throw APIError(.badRequest, "\(error)")
        }
    }

    /// A bookmark as clients hold it: the seq of the last event they have (an SSE `id:`).
    private func bookmark(_ text: some StringProtocol, from source: String) throws -> UInt64 {
        guard let seq = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw APIError(.badRequest, "\(source) must be a bookmark: the id of an event (a whole number ≥ 0), not '\(ExampleConsole.safe(String(text.prefix(40))))'")
        }
        return seq
    }

    private func open(_ id: AgentID, key: String) async throws -> any AgentHandle {
        do {
            return try await hub.open(id, options: OpenOptions())
        } catch StoreError.notFound {
            throw APIError(.notFound, "the agent \(id) of '\(key)' is no longer in the store")
        }
    }

    private func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Runs a handler; what it throws becomes a JSON error with a status: 4xx for bad requests,
    /// 500 (with the reason) for anything else.
    private func respond(_ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch let error as APIError {
            return errorResponse(error.status, error.message)
        } catch {
            return errorResponse(.internalServerError, "\(error)")
        }
    }

    private func errorResponse(_ status: HTTPResponse.Status, _ message: String) -> Response {
        (try? json(["error": message], status: status)) ?? Response(status: status)
    }
}

/// A request the server refuses, with the status and a sentence saying why.
struct APIError: Error {
    var status: HTTPResponse.Status
    var message: String
    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Decoding errors in words: which field, and what was wrong with it.
enum DecodingProblem {
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return "\"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "expected an object" : "\"\(path)\" must be a string"
        case DecodingError.dataCorrupted:
            return "not valid JSON"
        default:
            return "\(error)"
        }
    }
}
