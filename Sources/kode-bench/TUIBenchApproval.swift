import Foundation
import KodeKernel
import KodeTUI

/// `kode-bench tui`, approval part: frames while the approval modal shows a write of 3,000
/// lines (a diff the size of a generated file) over the 100,000-message transcript, scrolled a
/// line a frame through its expanded input. The baseline is the plain-text frame of the same
/// run (the transcript alone).
extension TUIBench {
    func approvalFrameTime(baseline: (median: Double, p99: Double, max: Double)) {
        var (model, _) = TUIBenchSupport.transcript(messages: messages, width: 200, height: 60)
        let content = (1...3_000).map { "    let value\($0) = compute(\($0)) // a generated line of the file" }.joined(separator: "\n")
        let call = ToolCallRecord(id: "w1", name: "fs_write", input: .object(["path": .string("Generated.swift"), "content": .string(content)]), state: .approvalRequired, createdAt: TUIBenchSupport.now)
        model.apply(TUIBenchSupport.env(seq: 1, .permissionRequired(PermissionRequiredEvent(callId: "w1", call: call, inputPreview: "Generated.swift", reason: "writes need approval", alwaysPattern: "fs_write(*)"))), now: TUIBenchSupport.now)
        _ = Update.apply(.input(.key(.char("e"))), to: &model, now: TUIBenchSupport.now.addingTimeInterval(1))
        var canvas = Canvas(width: 200, height: 60)
        var previous = canvas
        Renderer.render(model, into: &canvas, now: TUIBenchSupport.now)
        var samples: [Double] = []
        var cpuSamples: [Double] = []
        for _ in 0..<frames {
            _ = Update.apply(.input(.key(.down)), to: &model, now: TUIBenchSupport.now.addingTimeInterval(1))
            let t0 = DispatchTime.now().uptimeNanoseconds
            let c0 = TUIBenchSupport.threadCPUNanos()
            previous = canvas
            Renderer.render(model, into: &canvas, now: TUIBenchSupport.now)
            _ = CanvasDiff.between(previous, canvas)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            cpuSamples.append(Double(TUIBenchSupport.threadCPUNanos() - c0) / 1e6)
        }
        let s = TUIBenchSupport.stats(samples)
        let cpu = TUIBenchSupport.stats(cpuSamples)
        print(String(format: "frame 200x60 with the approval modal over a 3,000-line write, scrolled a line a frame: median %.3f ms, p99 %.3f ms, max %.3f ms (budget ≤ 1 ms median, ≤ 4 ms p99) → %@",
                     s.median, s.p99, s.max, s.median <= 1 && s.p99 <= 4 ? "OK" : "OVER"))
        print(String(format: "  thread CPU per frame: median %.3f ms, p99 %.3f ms", cpu.median, cpu.p99))
        print(String(format: "  baseline: the plain-text frame of this run, median %.3f ms → approval frame = %.2f× plain (median)",
                     baseline.median, s.median / max(baseline.median, 1e-6)))
    }
}
