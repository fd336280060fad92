import AsyncHTTPClient
import Foundation
import KodeKernel
import NIOCore
import NIOHTTP1

/// Runs one streaming request for a provider: sends it, retries transient failures before any
/// output, watches for idle connections, and feeds the body through the vendor's decoder.
struct ProviderStreamRunner<Decoder: ModelStreamDecoder>: Sendable {
    let client: SharedHTTPClient
    let policy: FaultPolicy
    let request: HTTPStreamRequest
    let makeDecoder: @Sendable () -> Decoder

    /// The normalized stream. Cancelling the consumer (or dropping the iterator) cancels the
    /// request task, which cancels the HTTP request.
    func stream() -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ModelStreamEvent.self)
        let task = Task { await run(continuation) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(_ continuation: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation) async {
        var attempt = 1
        while true {
            let progress = ProgressClock()
            do {
                try await attemptOnce(continuation, progress: progress)
                continuation.finish()
                return
            } catch {
                if Task.isCancelled {
                    continuation.finish(throwing: CancellationError())
                    return
                }
                let failure = classify(error)
                let canRetry = failure.retryable && !progress.yielded && attempt < policy.maxAttempts
                if canRetry, let advised = failure.retryAfter, advised > policy.maxRetryAfter {
                    var final = failure.error
                    final.message += " (the server asks to retry after \(advised.secondsText))"
                    continuation.finish(throwing: final)
                    return
                }
                guard canRetry else {
                    var final = failure.error
                    if attempt > 1 { final.message += " (after \(attempt) attempts)" }
                    continuation.finish(throwing: final)
                    return
                }
                let wait = failure.retryAfter ?? policy.backoff(afterAttempt: attempt)
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    continuation.finish(throwing: CancellationError())
                    return
                }
                attempt += 1
            }
        }
    }

    /// One attempt, raced against the idle watchdog.
    private func attemptOnce(
        _ continuation: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation, progress: ProgressClock
    ) async throws {
        let vendor = request.vendor.name
        let idle = policy.idleTimeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await transfer(continuation, progress: progress) }
            group.addTask { try await IdleWatchdog.watch(progress, idle: idle, vendor: vendor) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func transfer(
        _ continuation: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation, progress: ProgressClock
    ) async throws {
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = .POST
        for header in request.headers { httpRequest.headers.add(name: header.name, value: header.value) }
        httpRequest.body = .bytes(ByteBuffer(bytes: request.body))

        let httpClient: HTTPClient
        switch client.client(for: request.url) {
        case .success(let chosen): httpClient = chosen
        case .failure(let problem): throw AttemptFailure(ModelError(.transport, "\(vendor): \(problem.message)"), retryable: false)
        }
        let response: HTTPClientResponse
        do {
            // The deadline only bounds the wait for the response head; the watchdog bounds it
            // more tightly, so this is a backstop.
            response = try await httpClient.execute(httpRequest, deadline: .now() + .hours(1))
        } catch {
            throw transportFailure(error)
        }
        progress.touch()

        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            var body: [UInt8] = []
            do {
                for try await chunk in response.body {
                    progress.touch()
                    if body.count < 65_536 { body.append(contentsOf: chunk.readableBytesView) }
                }
            } catch {
                // The status line already says what went wrong; a cut error body adds nothing.
            }
            let headers = response.headers.map { (name: $0.name, value: $0.value) }
            throw HTTPErrorMapper.failure(status: status, headers: headers, body: body, vendor: request.vendor)
        }

        var parser = WireStreamParser(decoder: makeDecoder())
        var emitter = Emitter(continuation: continuation, progress: progress)
        var events: [ModelStreamEvent] = []
        do {
            for try await chunk in response.body {
                progress.touch()
                try parser.feed(chunk, into: &events)
                emitter.emit(&events)
            }
        } catch let error as ModelError {
            throw AttemptFailure(error, retryable: AttemptFailure.isTransient(error.kind))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            guard parser.isComplete else {
                throw AttemptFailure(
                    ModelError(.streamCut, "\(vendor): the connection closed before the reply was complete (\(describe(error)))"),
                    retryable: true)
            }
        }
        if Task.isCancelled { throw CancellationError() }
        do {
            try parser.finish(into: &events)
        } catch {
            throw AttemptFailure(error, retryable: AttemptFailure.isTransient(error.kind))
        }
        emitter.emit(&events)
        emitter.flush()
    }

    private var vendor: String { request.vendor.name }

    private func classify(_ error: any Error) -> AttemptFailure {
        if let failure = error as? AttemptFailure { return failure }
        if let modelError = error as? ModelError {
            return AttemptFailure(modelError, retryable: AttemptFailure.isTransient(modelError.kind))
        }
        return transportFailure(error)
    }

    private func transportFailure(_ error: any Error) -> AttemptFailure {
        if let failure = error as? AttemptFailure { return failure }
        let host = URL(string: request.url)?.host ?? "the server"
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .connectTimeout:
                return AttemptFailure(ModelError(.timeout, "\(vendor): connecting to \(host) timed out"), retryable: true)
            case .deadlineExceeded, .readTimeout:
                return AttemptFailure(ModelError(.timeout, "\(vendor): \(host) did not answer in time"), retryable: true)
            case .remoteConnectionClosed:
                return AttemptFailure(
                    ModelError(.streamCut, "\(vendor): \(host) closed the connection before answering"), retryable: true)
            case .proxyAuthenticationRequired:
                return AttemptFailure(
                    ModelError(.transport, "\(vendor): the proxy for \(host) wants credentials (HTTP 407); put them in the proxy URL (http://user:password@proxy:port)"),
                    retryable: false)
            case .invalidProxyResponse:
                return AttemptFailure(ModelError(.transport, "\(vendor): the proxy refused the tunnel to \(host)"), retryable: true)
            default:
                break
            }
        }
        return AttemptFailure(
            ModelError(.transport, "\(vendor): could not reach \(host) (\(describe(error)))"), retryable: true)
    }

    private func describe(_ error: any Error) -> String {
        SafeText.clean(String(describing: error), hiding: request.vendor.secret, limit: 200)
    }
}

/// Passes events to the consumer, holding back a leading `messageStart`/`usage` until real
/// content arrives: an `overloaded_error` right after `message_start` is common, and holding the
/// prefix keeps such a reply retryable without the consumer ever seeing a false start.
private struct Emitter {
    let continuation: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation
    let progress: ProgressClock
    var held: [ModelStreamEvent] = []
    var releasing = false

    init(continuation: AsyncThrowingStream<ModelStreamEvent, any Error>.Continuation, progress: ProgressClock) {
        self.continuation = continuation
        self.progress = progress
    }

    mutating func emit(_ events: inout [ModelStreamEvent]) {
        defer { events.removeAll(keepingCapacity: true) }
        for event in events {
            if !releasing {
                switch event {
                case .messageStart, .usage:
                    held.append(event)
                    continue
                default:
                    flush()
                }
            }
            continuation.yield(event)
        }
    }

    mutating func flush() {
        if !releasing {
            releasing = true
            progress.markYielded()
        }
        for event in held { continuation.yield(event) }
        held.removeAll()
    }
}
