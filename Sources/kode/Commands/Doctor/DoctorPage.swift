import Foundation

/// `kode doctor`'s report as one page of plain text.
enum DoctorPage {
    static func render(_ report: DoctorReport) -> String {
        var lines: [String] = []
        let s = report.sandbox
        lines.append("sandbox")
        lines.append("  landlock        " + (s.landlockABI > 0 ? "ABI \(s.landlockABI)" : "not available"))
        lines.append("  network off by  " + s.networkIsolation)
        lines.append("  store, socket   " + (s.mountNamespace ? "read-only, hidden (mount namespace)" : "exposed to commands (no mount namespace)"))
        lines.append("  launcher        " + (s.launcher ?? "not found"))
        lines.append("  new agents      commands " + (s.defaultCommands == "unconfined" ? "run UNCONFINED" : "run in " + s.defaultCommands))
        let t = report.terminal
        lines.append("terminal")
        lines.append("  TERM            " + (t.term ?? "(not set)") + (t.isTTY ? "" : " (stdout is not a terminal)"))
        lines.append("  colours         " + (t.colors == 0 ? "none" : t.colors == 16_777_216 ? "24-bit" : "\(t.colors)"))
        lines.append("  UTF-8           " + (t.utf8 ? "yes" : "no (ASCII borders)"))
        let st = report.store
        lines.append("store")
        lines.append("  path            " + st.path + (st.exists ? "" : " (not created yet)"))
        lines.append("  free space      " + (st.freeBytes.map(bytes) ?? "unknown"))
        lines.append("  agents          \(st.agents)")
        lines.append("  host            " + (st.host.pid.map { "running, pid \($0), socket \(st.host.socket)" } ?? "not running"))
        lines.append("providers")
        if report.providers.isEmpty { lines.append("  (none with a key)") }
        for p in report.providers {
            let reach = p.reachable.map { $0 ? "reachable" : "NOT reachable (\(p.detail ?? ""))" } ?? "not checked"
            lines.append("  " + p.name.padding(toLength: 15, withPad: " ", startingAt: 0) + " key " + (p.key ?? "missing") + ", " + p.baseURL + " " + reach)
        }
        lines.append(report.problems.isEmpty ? "no problems found" : "problems")
        for problem in report.problems { lines.append("  - " + problem) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func bytes(_ count: Int64) -> String {
        let gib = Double(count) / Double(1 << 30)
        return gib >= 1 ? String(format: "%.1f GiB", gib) : String(format: "%.0f MiB", Double(count) / Double(1 << 20))
    }
}
