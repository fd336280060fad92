import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KodeKernel
import KodeProviders
import Synchronization

/// Provider benchmarks: SSE decoding throughput against a plain newline scan, the cost of the
/// normalized stream per emitted event for each vendor (both in thread CPU time, best of 5),
/// and the wall-clock time from a byte being written on a loopback socket to the consumer
/// holding the text event. Build with `-c release`.
struct ProviderBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers", abstract: "SSE decoding MB/s, per-event decode overhead, time to first text event.")

    @Option(help: "Megabytes of SSE to decode per throughput run.")
    var megabytes = 64

    @Option(help: "Network chunk size in bytes for the decoding runs.")
    var chunk = 16_384

    @Option(help: "Loopback requests for the first-event latency.")
    var requests = 40

    func run() async throws {
        print("== providers (chunk \(chunk) B) ==")
        throughput()
        overhead()
        try await firstEventLatency()
    }

    /// SSE decoding MB/s over an Anthropic-shaped stream, next to a byte scan for newlines.
    private func throughput() {
        let one = ProviderBenchCorpus.anthropic(deltas: 20_000)
        var corpus: [UInt8] = []
        corpus.reserveCapacity(megabytes << 20)
        while corpus.count < megabytes << 20 { corpus.append(contentsOf: one) }
        let megabytesTotal = Double(corpus.count) / 1_048_576

        var bestScan = Double.infinity
        var bestSSE = Double.infinity
        var newlines = 0
        var events = 0
        for _ in 0..<5 {
            let scanStart = CPUClock.now()
            newlines = Self.countNewlines(corpus, chunk: chunk)
            bestScan = min(bestScan, CPUClock.now() - scanStart)

            let sseStart = CPUClock.now()
            var decoder = SSEDecoder()
            var batch: [SSEEvent] = []
            batch.reserveCapacity(256)
            events = 0
            corpus.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let end = min(offset + chunk, raw.count)
                    decoder.decode(UnsafeRawBufferPointer(rebasing: raw[offset..<end]), into: &batch)
                    events += batch.count
                    batch.removeAll(keepingCapacity: true)
                    offset = end
                }
            }
            decoder.finish(into: &batch)
            bestSSE = min(bestSSE, CPUClock.now() - sseStart)
        }
        print(String(format: "sse decode:      %8.1f MB/s  (%.1f MB, %d events, best of 5)", megabytesTotal / bestSSE, megabytesTotal, events))
        print(String(format: "newline scan:    %8.1f MB/s  (%d newlines; the floor for any line parser)", megabytesTotal / bestScan, newlines))
        print(String(format: "ratio sse/scan:  %8.2f", bestScan / bestSSE))
    }

    /// The baseline: a plain count of `\n` bytes, chunk by chunk. Kept out of line so that how
    /// the compiler arranges the rest of `throughput()` cannot change how well this loop is
    /// compiled (inlined into it, the same loop measured 1.35 GB/s in one build and 2.3 GB/s in
    /// another).
    @inline(never)
    private static func countNewlines(_ corpus: [UInt8], chunk: Int) -> Int {
        corpus.withUnsafeBytes { raw in
            var count = 0
            var offset = 0
            while offset < raw.count {
                let end = min(offset + chunk, raw.count)
                for index in offset..<end where raw[index] == 0x0A { count += 1 }
                offset = end
            }
            return count
        }
    }

    /// Bytes to normalized events through the full vendor decoder, per emitted event.
    private func overhead() {
        let deltas = 200_000
        measure("anthropic", ProviderBenchCorpus.anthropic(deltas: deltas), AnthropicStreamDecoder())
        measure("openai", ProviderBenchCorpus.openAI(deltas: deltas), OpenAIStreamDecoder())
        measure("gemini", ProviderBenchCorpus.gemini(deltas: deltas), GeminiStreamDecoder())
    }

    private func measure<D: ModelStreamDecoder>(_ name: String, _ bytes: [UInt8], _ decoder: D) {
        // Network-sized pieces, cut before timing so only decoding is measured.
        let pieces = stride(from: 0, to: bytes.count, by: chunk).map { Array(bytes[$0..<min($0 + chunk, bytes.count)]) }
        var best = Double.infinity
        var emitted = 0
        for _ in 0..<5 {
            var parser = WireStreamParser(decoder: decoder)
            var output: [ModelStreamEvent] = []
            output.reserveCapacity(512)
            emitted = 0
            let start = CPUClock.now()
            do {
                for piece in pieces {
                    try parser.feed(piece, into: &output)
                    emitted += output.count
                    output.removeAll(keepingCapacity: true)
                }
                try parser.finish(into: &output)
            } catch {
                print("\(name): decode failed: \(error)")
                return
            }
            emitted += output.count
            best = min(best, CPUClock.now() - start)
        }
        print(String(format: "%@ normalized: %6.2f µs/event (%d events, %.1f MB/s; target ≤ 2 µs)",
            name.padding(toLength: 10, withPad: " ", startingAt: 0) as NSString, best * 1e6 / Double(emitted), emitted,
            Double(bytes.count) / 1_048_576 / best))
    }

    /// From the moment the server writes the first text delta (the client is idle, waiting) to
    /// the moment the consumer receives `.textDelta`: socket, NIO, HTTP client, SSE, decoder
    /// and the async stream hop.
    private func firstEventLatency() async throws {
        let server = try ProviderBenchServer()
        let client = SharedHTTPClient()
        let provider = HTTPModelProvider(
            .anthropic, model: "claude-sonnet-4-5", apiKey: "bench", baseURL: "http://127.0.0.1:\(server.port)", client: client,
            policy: FaultPolicy(maxAttempts: 1, idleTimeout: .seconds(10)))
        let full = String(decoding: ProviderBenchCorpus.anthropic(deltas: 3), as: UTF8.self)
        let parts = full.components(separatedBy: "event: content_block_delta")
        let head = Array(parts[0].utf8)
        let payload = Array(("event: content_block_delta" + parts[1]).utf8)
        let tail = Array(parts.dropFirst(2).map { "event: content_block_delta" + $0 }.joined().utf8)
        let request = ModelRequest(model: "", messages: [Message(role: .user, content: [.text("hi")])])

        var samples: [Double] = []
        for _ in 0..<requests {
            let sentAt = SentClock()
            let serving = Thread { server.serveOnce(head: head, payload: payload, tail: tail, pause: .milliseconds(15), markSent: sentAt.mark) }
            serving.start()
            var received: ContinuousClock.Instant?
            for try await event in provider.stream(request) {
                if case .textDelta = event, received == nil { received = ContinuousClock.now }
            }
            if let received, let sent = sentAt.value { samples.append(seconds(received - sent)) }
        }
        try await client.shutdown()
        samples.sort()
        guard !samples.isEmpty else { print("first event: no samples"); return }
        let median = samples[samples.count / 2]
        let p95 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.95))]
        print(String(format: "first text event after its byte is written: median %.0f µs, p95 %.0f µs (%d requests; target ≤ 1 ms)",
            median * 1e6, p95 * 1e6, samples.count))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// This thread's CPU time: the synchronous benchmarks are timed with it so that other work on
/// a busy machine does not count against them.
enum CPUClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// The instant the server wrote the measured bytes, set on the server thread.
private final class SentClock: Sendable {
    private let instant = Mutex<ContinuousClock.Instant?>(nil)

    @Sendable func mark() { instant.withLock { $0 = .now } }
    var value: ContinuousClock.Instant? { instant.withLock { $0 } }
}
