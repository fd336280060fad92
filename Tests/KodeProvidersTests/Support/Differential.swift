import KodeKernel

import KodeProviders

/// A vendor decoder whose byte-walking fast path can be switched off, leaving the general parser.
protocol FastPathDecoder: ModelStreamDecoder {
    init()
    var usesFastPath: Bool { get set }
}

extension AnthropicStreamDecoder: FastPathDecoder {}
extension OpenAIStreamDecoder: FastPathDecoder {}
extension GeminiStreamDecoder: FastPathDecoder {}

/// Runs a transcript through a decoder and keeps everything it produced, including the events
/// before an error, so the fast and general paths can be compared event for event.
enum Differential {
    struct Outcome: Equatable, CustomStringConvertible {
        var events: [ModelStreamEvent]
        var error: ModelError?

        var description: String { "\(events) \(error.map { "error \($0.kind): \($0.message)" } ?? "no error")" }

        /// Tool-use ids replaced by "" (Gemini, and OpenAI calls without an id, get fresh random ones).
        var withoutIDs: Outcome {
            Outcome(
                events: events.map { event in
                    if case .toolUseStart(let index, _, let name) = event { return .toolUseStart(index: index, id: "", name: name) }
                    return event
                },
                error: error)
        }
    }

    /// How many ways of splitting `text` in two (a cut every `step` bytes) decode differently
    /// from the whole text; generated tool-call ids are ignored when `ignoringIDs`.
    static func splitMismatches<D: ModelStreamDecoder>(_ text: String, _ decoder: D, step: Int = 3, ignoringIDs: Bool) -> Int {
        let normalize = { (outcome: Outcome) in ignoringIDs ? outcome.withoutIDs : outcome }
        let whole = normalize(run(text, decoder))
        return stride(from: 0, through: text.utf8.count, by: step).filter { normalize(run(text, decoder, cuts: [$0])) != whole }.count
    }

    /// `text` decoded with the fast path on (as shipped) and off (the general parser alone).
    static func fastAndGeneral<D: FastPathDecoder>(_ text: String, _ type: D.Type) -> (fast: Outcome, general: Outcome) {
        var general = D()
        general.usesFastPath = false
        return (run(text, D()), run(text, general))
    }

    /// Feeds `text` in the pieces `cuts` makes, then finishes; stops at the first error.
    static func run<D: ModelStreamDecoder>(_ text: String, _ decoder: D, cuts: [Int] = []) -> Outcome {
        let bytes = Array(text.utf8)
        var parser = WireStreamParser(decoder: decoder)
        var events: [ModelStreamEvent] = []
        var start = 0
        do throws(ModelError) {
            for cut in cuts + [bytes.count] where cut >= start {
                try parser.feed(Array(bytes[start..<cut]), into: &events)
                start = cut
            }
            try parser.finish(into: &events)
            return Outcome(events: Decode.normalize(events), error: nil)
        } catch {
            return Outcome(events: Decode.normalize(events), error: error)
        }
    }

    /// The transcript's bytes, for the vendors' `read` functions.
    static func withBytes<T>(_ json: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        Array(json.utf8).withUnsafeBytes(body)
    }
}
