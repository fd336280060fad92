import Foundation
@testable import KodeHost
import Testing

/// The frame decoder under random input: it never crashes, never hands out a frame longer than
/// its limit, and cuts well-formed streams correctly however they are split.
@Suite("Frame decoder fuzz")
struct FrameDecoderFuzzTests {
    /// A fixed-seed generator, so a failure reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomBytesNeverCrashOrOverreach() {
        var rng = SplitMix(state: 0xC0DE)
        for _ in 0..<20_000 {
            var decoder = FrameDecoder(maxFrameSize: 4096)
            let count = Int.random(in: 0...64, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Bias some inputs towards plausible headers so the length paths are reached.
            if Bool.random(using: &rng), bytes.count >= 5 {
                bytes[0] = 0
                bytes[1] = 0
                bytes[4] = UInt8.random(in: 0...3, using: &rng)
            }
            decoder.feed(bytes)
            do {
                while let frame = try decoder.next() {
                    #expect(frame.payload.count < 4096)
                }
            } catch {
                // An error is a fine answer to garbage; crashing or hanging is not.
            }
            #expect(decoder.buffered <= bytes.count)
        }
    }

    @Test func wellFormedStreamsSurviveAnySplit() throws {
        var rng = SplitMix(state: 7)
        for _ in 0..<500 {
            let frames = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                Frame(kind: Bool.random(using: &rng) ? .message : .events,
                      payload: (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
            var stream: [UInt8] = []
            for f in frames { f.append(to: &stream) }
            var decoder = FrameDecoder(maxFrameSize: 1 << 20)
            var out: [Frame] = []
            var offset = 0
            while offset < stream.count {
                let n = min(stream.count - offset, Int.random(in: 1...97, using: &rng))
                decoder.feed(Array(stream[offset..<(offset + n)]))
                offset += n
                while let f = try decoder.next() { out.append(f) }
            }
            #expect(out == frames)
            #expect(decoder.buffered == 0)
        }
    }

    @Test func errorsNameTheProblem() {
        var decoder = FrameDecoder(maxFrameSize: 10)
        decoder.feed([0, 0, 0, 0])
        #expect(throws: FrameError.empty) { try decoder.next() }
        var big = FrameDecoder(maxFrameSize: 10)
        big.feed([0, 0, 0, 11, 1])
        #expect(throws: FrameError.tooLarge(length: 11, limit: 10)) { try big.next() }
        var kind = FrameDecoder(maxFrameSize: 10)
        kind.feed([0, 0, 0, 1, 9])
        #expect(throws: FrameError.unknownKind(9)) { try kind.next() }
    }
}
