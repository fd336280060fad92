import KodeKernel
import KodeProviders

/// Runs transcripts through a decoder, whole or in pieces, and normalizes the result.
enum Decode {
    /// Decodes `text` fed as the chunks that `cuts` (ascending byte offsets) produce.
    static func events<D: ModelStreamDecoder>(_ text: String, _ decoder: D, cuts: [Int] = []) throws(ModelError) -> [ModelStreamEvent] {
        let bytes = Array(text.utf8)
        var parser = WireStreamParser(decoder: decoder)
        var output: [ModelStreamEvent] = []
        var start = 0
        for cut in cuts + [bytes.count] where cut >= start {
            try parser.feed(Array(bytes[start..<cut]), into: &output)
            start = cut
        }
        try parser.finish(into: &output)
        return normalize(output)
    }

    /// The outcome of decoding: events, or the error thrown.
    static func outcome<D: ModelStreamDecoder>(_ text: String, _ decoder: D, cuts: [Int] = []) -> Result<[ModelStreamEvent], ModelError> {
        do throws(ModelError) { return .success(try events(text, decoder, cuts: cuts)) } catch { return .failure(error) }
    }

    /// The error decoding `text` ends with, or nil when it decodes cleanly.
    static func failure<D: ModelStreamDecoder>(_ text: String, _ decoder: D, cuts: [Int] = []) -> ModelError? {
        guard case .failure(let error) = outcome(text, decoder, cuts: cuts) else { return nil }
        return error
    }

    /// Adjacent text, thinking, signature and same-index input deltas merged into one, so the
    /// comparison ignores how the vendor happened to slice them.
    static func normalize(_ events: [ModelStreamEvent]) -> [ModelStreamEvent] {
        var out: [ModelStreamEvent] = []
        for event in events {
            switch (out.last, event) {
            case (.textDelta(let a)?, .textDelta(let b)): out[out.count - 1] = .textDelta(a + b)
            case (.thinkingDelta(let a)?, .thinkingDelta(let b)): out[out.count - 1] = .thinkingDelta(a + b)
            case (.thinkingSignature(let a)?, .thinkingSignature(let b)): out[out.count - 1] = .thinkingSignature(a + b)
            case (.toolInputDelta(let i, let a)?, .toolInputDelta(let j, let b)) where i == j:
                out[out.count - 1] = .toolInputDelta(index: i, json: a + b)
            default: out.append(event)
            }
        }
        return out
    }

    /// Every single cut position plus a few multi-cut patterns (every byte, every 3 and 7 bytes).
    static func cutPatterns(length: Int) -> [[Int]] {
        var patterns: [[Int]] = (0...length).map { [$0] }
        for step in [1, 3, 7] { patterns.append(Array(stride(from: step, to: length, by: step))) }
        return patterns
    }
}
