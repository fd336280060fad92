import Foundation

/// A line diff of two texts, for the app's checkpoint preview: the changed lines with a line of
/// context around each run, `-` old, `+` new, `@@ line N` before each hunk. Longest common
/// subsequence by dynamic programming, so it is bounded: texts whose line counts multiply past
/// `limit` get a one-line summary instead.
enum LineDiff {
    static let limit = 4_000_000

    static func render(old: String, new: String, context: Int = 1) -> [String] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard a.count * b.count <= limit else { return ["(too large to diff here: \(a.count) → \(b.count) lines)"] }
        let n = a.count, m = b.count
        // lcs[i][j]: common lines of a[i...] and b[j...], flattened.
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i * (m + 1) + j] = a[i] == b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
            }
        }
        enum Op { case same(String), removed(String), added(String) }
        var ops: [(Op, Int)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                ops.append((.same(a[i]), i + 1)); i += 1; j += 1
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                ops.append((.added(b[j]), i + 1)); j += 1
            } else {
                ops.append((.removed(a[i]), i + 1)); i += 1
            }
        }
        var keep = [Bool](repeating: false, count: ops.count)
        for (index, op) in ops.enumerated() {
            if case .same = op.0 { continue }
            for k in max(0, index - context)...min(ops.count - 1, index + context) { keep[k] = true }
        }
        var out: [String] = []
        var previous = -2
        for (index, (op, line)) in ops.enumerated() where keep[index] {
            if index != previous + 1 { out.append("@@ line \(line)") }
            previous = index
            switch op {
            case .same(let text): out.append("  " + text)
            case .removed(let text): out.append("- " + text)
            case .added(let text): out.append("+ " + text)
            }
        }
        return out
    }
}
