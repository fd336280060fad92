import Foundation
import KodeKernel
import KodeTUI

/// `kode-bench tui`, markdown part: the frame of a transcript of markdown replies (headings,
/// lists, emphasis, inline code, a table, highlighted Swift and shell blocks) while a markdown
/// reply streams in, one chunk a frame. The baseline is the plain-text frame of the same run.
extension TUIBench {
    func markdownFrameTime(baseline: (median: Double, p99: Double, max: Double)) {
        var (model, _) = TUIBenchSupport.transcript(messages: messages, width: 200, height: 60, markdown: true)
        var canvas = Canvas(width: 200, height: 60)
        var previous = canvas
        Renderer.render(model, into: &canvas, now: TUIBenchSupport.now)
        let chunks = TUIBenchSupport.markdownChunks
        var samples: [Double] = []
        var cpuSamples: [Double] = []
        var diffCells = 0
        model.apply(TUIBenchSupport.env(seq: 1, .textChunkStart(ChunkBoundary(messageId: "live-md"))), now: TUIBenchSupport.now)
        for i in 0..<frames {
            model.apply(TUIBenchSupport.env(seq: UInt64(i + 2), .textChunk(ChunkDelta(messageId: "live-md", delta: chunks[i % chunks.count]))), now: TUIBenchSupport.now)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let c0 = TUIBenchSupport.threadCPUNanos()
            previous = canvas
            Renderer.render(model, into: &canvas, now: TUIBenchSupport.now)
            diffCells += CanvasDiff.between(previous, canvas).cellCount
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            cpuSamples.append(Double(TUIBenchSupport.threadCPUNanos() - c0) / 1e6)
        }
        let s = TUIBenchSupport.stats(samples)
        let cpu = TUIBenchSupport.stats(cpuSamples)
        print(String(format: "frame 200x60, %d messages of markdown with highlighted code, a markdown reply streaming: median %.3f ms, p99 %.3f ms, max %.3f ms (budget ≤ 1 ms median, ≤ 4 ms p99) → %@",
                     messages, s.median, s.p99, s.max, s.median <= 1 && s.p99 <= 4 ? "OK" : "OVER"))
        print(String(format: "  thread CPU per frame: median %.3f ms, p99 %.3f ms; mean %.0f cells changed per frame",
                     cpu.median, cpu.p99, Double(diffCells) / Double(frames)))
        print(String(format: "  baseline: the plain-text frame of this run, median %.3f ms, p99 %.3f ms → markdown frame = %.2f× plain (median), %.2f× (p99)",
                     baseline.median, baseline.p99, s.median / max(baseline.median, 1e-6), s.p99 / max(baseline.p99, 1e-6)))
    }
}

extension TUIBenchSupport {
    /// A streaming markdown reply, cut into the chunks a model sends (mid-line, mid-markup).
    static let markdownChunks: [String] = {
        let reply = #"""
            ## Step

            The **parser** reads `config.toml`, then *validates* each [key](https://example.com/k).
            - first
              - [x] nested done
            1. numbered
            > a quote
            ```swift
            let total = items.reduce(0) { $0 + $1.size } // bytes
            func f(_ x: Int) -> String { "\(x)" }
            ```
            ```bash
            swift build -c release | tee "$HOME/log" && echo done
            ```

            """#
        var chunks: [String] = []
        var rest = Substring(reply)
        while !rest.isEmpty {
            let n = min(7 + chunks.count % 5, rest.count)
            chunks.append(String(rest.prefix(n)))
            rest = rest.dropFirst(n)
        }
        return chunks
    }()

    /// A markdown reply with a table and highlighted Swift and shell, as the transcript's replies.
    static func markdownReply(_ i: Int) -> String {
        #"""
        ### Module \#(i % 97)

        The function **reads** the configuration, validates *every* field and returns a `Config`:

        - missing keys fail with a clear error
          - naming the key and the line
        - [x] tested

        | field | type |
        |-------|-----:|
        | name | String |
        | size | Int |

        ```swift
        func load(_ path: String) throws -> Config { // line \#(i)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try Config(parsing: text, limit: 4_096)
        }
        ```
        ```bash
        swift test --filter ConfigTests | tee "$TMPDIR/out.log"
        ```

        """#
    }
}
