import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on `127.0.0.1` (a free port) that answers each request with the next
/// scripted response and records what it was sent, so tests can exercise providers end to end:
/// byte-exact streaming, pauses, a connection closed mid-body, a server that stalls, error
/// statuses with headers such as `retry-after`.
///
/// Responses are served in the order they were queued, across connections; when the queue is
/// empty the server answers `500 no scripted response left`.
public final class LoopbackHTTPServer: Sendable {
    /// One request as received.
    public struct RecordedRequest: Sendable {
        /// `POST`, `GET`, …
        public var method: String
        /// The request target: path and query, e.g. `/v1/chat/completions`.
        public var path: String
        /// Header fields in the order received.
        public var headers: [(name: String, value: String)]
        /// The body bytes.
        public var body: [UInt8]

        /// The first header named `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        /// The body as UTF-8 text.
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// What the server does, step by step, after sending the status line and headers.
    public enum Step: Sendable {
        /// Send these bytes as one write (one HTTP chunk).
        case send([UInt8])
        /// Wait before the next step.
        case pause(Duration)
        /// Close the connection now, without finishing the body.
        case closeConnection
        /// Send nothing more and keep the connection open (until the client gives up).
        case stall
        /// Wait until `counter` reaches `count`: lets a test hold the response back until the
        /// client has seen what it was sent so far.
        case waitFor(AwaitableCounter, atLeast: Int = 1)
    }

    /// One scripted response.
    public struct Response: Sendable {
        /// The HTTP status code.
        public var status: Int
        /// Extra header fields (a body without `content-length` is sent chunked).
        public var headers: [(name: String, value: String)]
        /// The body, as steps.
        public var steps: [Step]
        /// Stall before even sending the response head.
        public var stallBeforeHead: Bool

        /// A response from parts.
        public init(status: Int = 200, headers: [(name: String, value: String)] = [], steps: [Step] = [], stallBeforeHead: Bool = false) {
            self.status = status
            self.headers = headers
            self.steps = steps
            self.stallBeforeHead = stallBeforeHead
        }

        /// A `text/event-stream` response whose body is `text`, sent in writes of `chunkSize`
        /// bytes (all at once when nil) with `pause` between them.
        public static func sse(_ text: String, chunkSize: Int? = nil, pause: Duration? = nil) -> Response {
            let bytes = Array(text.utf8)
            let size = max(1, chunkSize ?? max(bytes.count, 1))
            var steps: [Step] = []
            var start = 0
            while start < bytes.count {
                if start > 0, let pause { steps.append(.pause(pause)) }
                let end = min(start + size, bytes.count)
                steps.append(.send(Array(bytes[start..<end])))
                start = end
            }
            return Response(status: 200, headers: [("content-type", "text/event-stream")], steps: steps)
        }

        /// A complete JSON (or any text) response with a `content-length`.
        public static func text(status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Response {
            let bytes = Array(body.utf8)
            return Response(
                status: status,
                headers: [("content-type", "application/json"), ("content-length", String(bytes.count))] + headers,
                steps: [.send(bytes)])
        }
    }

    /// The port the server listens on.
    public let port: Int
    private let state: State
    /// The listening socket: closed first on shutdown.
    private let listener: any Channel
    private let acceptTask: Task<Void, Never>

    /// `http://127.0.0.1:PORT` followed by `path`.
    public func baseURL(_ path: String = "") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Starts a server that will answer with `responses`, in order.
    public static func start(_ responses: [Response] = []) async throws -> LoopbackHTTPServer {
        let state = State(queue: responses)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ServerError(message: "the server has no local port") }
        let task = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await serve(connection, state: state) }
                        }
                    }
                } catch {
                    // Cancelled by shutdown or the listening socket failed; either way we stop.
                }
                group.cancelAll()
            }
        }
        return LoopbackHTTPServer(port: port, state: state, listener: server.channel, acceptTask: task)
    }

    private init(port: Int, state: State, listener: any Channel, acceptTask: Task<Void, Never>) {
        self.port = port
        self.state = state
        self.listener = listener
        self.acceptTask = acceptTask
    }

    /// Appends responses to the queue.
    public func enqueue(_ responses: Response...) { state.enqueue(responses) }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { state.recorded }

    /// How many connections have ended so far (closed by either side): lets a test see that a
    /// client really dropped a request it cancelled.
    public var closedConnections: Int { state.closed.value }

    /// Waits until at least `count` connections have ended (closed by either side): a test that
    /// expects a connection to be dropped awaits this instead of polling against a deadline.
    /// Returns early only if the calling task is cancelled.
    public func connectionsClosed(atLeast count: Int) async { await state.closed.wait(atLeast: count) }

    /// Stops accepting, ends stalled responses and closes every connection.
    public func shutdown() async {
        // Stop listening first and let the accept loop take every connection accepted before
        // that: cancelling the loop instead dropped a connection accepted at that moment without
        // finishing its writer, which NIO stops the process for.
        try? await listener.close()
        await acceptTask.value
    }

    struct ServerError: Error { var message: String }

    /// The queue and the record, shared with connection tasks.
    private final class State: Sendable {
        private struct Contents {
            var queue: [Response]
            var received: [RecordedRequest] = []
        }

        private let contents: Mutex<Contents>
        /// Connections that have ended.
        let closed = AwaitableCounter()

        init(queue: [Response]) { contents = Mutex(Contents(queue: queue)) }

        func enqueue(_ responses: [Response]) { contents.withLock { $0.queue.append(contentsOf: responses) } }

        var recorded: [RecordedRequest] { contents.withLock { $0.received } }

        func take(after request: RecordedRequest) -> Response {
            contents.withLock { contents in
                contents.received.append(request)
                if contents.queue.isEmpty { return .text(status: 500, #"{"error":{"message":"no scripted response left"}}"#) }
                return contents.queue.removeFirst()
            }
        }
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, state: State) async {
        defer { state.closed.increment() }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let value):
                        head = value
                        body = []
                    case .body(let buffer):
                        body.append(contentsOf: buffer.readableBytesView)
                    case .end:
                        guard let request = head else { continue }
                        let recorded = RecordedRequest(
                            method: request.method.rawValue, path: request.uri,
                            headers: request.headers.map { (name: $0.name, value: $0.value) }, body: body)
                        let response = state.take(after: recorded)
                        let keepOpen = try await respond(response, outbound: outbound)
                        if !keepOpen { return }
                    }
                }
            }
        } catch {
            // The client went away or the server is shutting down.
        }
    }

    /// Sends one response; returns false when the connection must close.
    private static func respond(_ response: Response, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        if response.stallBeforeHead {
            try await Task.sleep(for: .seconds(3600))
            return false
        }
        var headers = HTTPHeaders()
        for header in response.headers { headers.add(name: header.name, value: header.value) }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        try await outbound.write(.head(head))
        for step in response.steps {
            switch step {
            case .send(let bytes):
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
            case .pause(let duration):
                try await Task.sleep(for: duration)
            case .closeConnection:
                return false
            case .stall:
                try await Task.sleep(for: .seconds(3600))
                return false
            case .waitFor(let counter, let count):
                await counter.wait(atLeast: count)
                try Task.checkCancellation()
            }
        }
        try await outbound.write(.end(nil))
        return true
    }
}
