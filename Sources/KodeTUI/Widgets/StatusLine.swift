import Foundation
import KodeKernel

/// The bottom line: agent, `hosted` when the agent runs in a host, model (demo marked), state
/// and breakpoint, sandbox, tokens and cost, a lost host, pending approvals, `? help`; or a flash
/// message. On narrow terminals the least important parts are dropped first (cost, tokens,
/// sandbox mode, model name, breakpoint), never the demo marker, an unconfined sandbox, the state
/// or the approval count.
enum StatusLine {
    private struct Part {
        var spans: [Span]
        /// Higher survives longer.
        var priority: Int
        /// Whether the part starts a group of its own: a separator goes before it, unless it is
        /// the first part left after the narrow ones were dropped.
        var separated = false
        /// Counting the separator even where none is drawn: a column spare at worst.
        func width(separator: String) -> Int {
            spans.reduce(separated ? DisplayWidth.of(separator) : 0) { $0 + DisplayWidth.of($1.text) }
        }
    }

    static func draw(_ model: AppModel, into canvas: inout Canvas, rect: Rect, now: Date) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect, style: Style(.status))
        let help = " ? help "
        let helpWidth = DisplayWidth.of(help)
        canvas.put(help, x: rect.maxX - helpWidth, y: rect.y, style: Style(.statusAccent), maxX: rect.maxX)
        let limit = rect.maxX - helpWidth
        if let flash = model.flash, let until = model.flashUntil, until > now {
            canvas.put(" " + flash, x: rect.x, y: rect.y, style: Style(.statusAccent, bold: true), maxX: limit)
            return
        }
        let sep = model.unicode ? " │ " : " | "
        var parts = self.parts(model)
        while parts.reduce(0, { $0 + $1.width(separator: sep) }) > limit - rect.x, let drop = parts.indices.min(by: { parts[$0].priority < parts[$1].priority }), parts[drop].priority < 100 {
            parts.remove(at: drop)
        }
        var x = rect.x
        for (index, part) in parts.enumerated() {
            if part.separated { x = canvas.put(index == 0 ? " " : sep, x: x, y: rect.y, style: Style(.status), maxX: limit) }
            for s in part.spans { x = canvas.put(s.text, x: x, y: rect.y, style: s.style, maxX: limit) }
        }
    }

    private static func parts(_ model: AppModel) -> [Part] {
        let info = model.info
        var parts: [Part] = [Part(spans: [Span(" " + Sanitizer.oneLine(info.agentId) + " ", Style(.statusAccent, bold: true))], priority: 50)]
        parts.append(Part(spans: [Span(" " + Sanitizer.oneLine(info.provider.name + "/" + info.provider.model), Style(.status))], priority: 20))
        if info.hosted { parts.append(Part(spans: [Span(" hosted", Style(.statusAccent))], priority: 40)) }
        if info.provider.isDemo { parts.append(Part(spans: [Span(" DEMO (offline, no API key)", Style(.demo, bold: true))], priority: 100)) }
        let stateRole: StyleRole = info.state == .paused ? .warning : (info.state == .working ? .accent : .status)
        parts.append(Part(spans: [Span(info.state.rawValue, Style(stateRole, bold: true))], priority: 100, separated: true))
        if info.breakpoint != .ready { parts.append(Part(spans: [Span(" " + info.breakpoint.rawValue, Style(.status))], priority: 30)) }
        if let sandbox = info.sandbox { parts.append(sandboxPart(sandbox)) }
        if let dir = info.otherWorkDir {
            parts.append(Part(spans: [Span("dir " + Sanitizer.oneLine(Format.homeRelative(dir)), Style(.statusAccent))], priority: 35, separated: true))
        }
        let arrows = model.unicode ? ("↑", "↓") : (" in", " out")
        parts.append(Part(spans: [Span("tok \(Format.count(info.usage.input))\(arrows.0) \(Format.count(info.usage.output))\(arrows.1)", Style(.status))], priority: 10, separated: true))
        if let c = info.costUSD { parts.append(Part(spans: [Span(String(format: " $%.4f", c), Style(.status))], priority: 5)) }
        if model.lostHost != nil { parts.append(Part(spans: [Span("host lost", Style(.error, bold: true))], priority: 100, separated: true)) }
        if !model.approvals.isEmpty {
            let n = model.approvals.pending.count
            parts.append(Part(spans: [Span("\(n) approval\(n == 1 ? "" : "s")", Style(.warning, bold: true))], priority: 100, separated: true))
        }
        return parts
    }

    /// `sandbox workspace-write`; a sandbox that promises what it cannot enforce is a warning that
    /// is never dropped, so commands never run unconfined unnoticed.
    private static func sandboxPart(_ sandbox: CommandConfinement) -> Part {
        switch sandbox {
        case .unconfined, .partlyConfined, .refused:
            return Part(spans: [Span("sandbox " + sandbox.label, Style(.warning, bold: true))], priority: 100, separated: true)
        case .confined, .full, .external:
            return Part(spans: [Span("sandbox " + sandbox.label, Style(.status))], priority: 15, separated: true)
        }
    }
}
