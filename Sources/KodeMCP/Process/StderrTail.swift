import Synchronization

/// The last lines a server wrote to stderr, kept for error messages ("exited with status 1:
/// …"): a server that fails usually says why there.
final class StderrTail: Sendable {
    private let lines = Mutex<[String]>([])
    private let keep: Int

    init(keep: Int = 8) { self.keep = keep }

    func append(_ line: String) {
        lines.withLock { lines in
            lines.append(line)
            if lines.count > keep { lines.removeFirst(lines.count - keep) }
        }
    }

    /// The kept lines joined, or nil when the server said nothing.
    var summary: String? {
        let kept = lines.withLock { $0 }
        return kept.isEmpty ? nil : kept.joined(separator: " | ")
    }
}
