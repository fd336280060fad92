/// A line diff (Myers' O((N+M)·D) algorithm) between two texts' lines. Common leading and
/// trailing lines are taken off first; when the middle needs more than `maxEdits` edits, it is
/// shown as removed then added rather than searched further (a frame must stay cheap).
package enum LineDiff {
    /// One step of the edit script: indices into the old and the new lines.
    package enum Op: Sendable, Hashable {
        case same(old: Int, new: Int)
        case removed(old: Int)
        case added(new: Int)
    }

    /// The edit script turning `old` into `new`.
    package static func ops(_ old: [Substring], _ new: [Substring], maxEdits: Int = 1_000) -> [Op] {
        var lo = 0
        while lo < old.count && lo < new.count && old[lo] == new[lo] { lo += 1 }
        var oldHi = old.count, newHi = new.count
        while oldHi > lo && newHi > lo && old[oldHi - 1] == new[newHi - 1] {
            oldHi -= 1
            newHi -= 1
        }
        var result: [Op] = (0..<lo).map { .same(old: $0, new: $0) }
        result += middle(old, lo..<oldHi, new, lo..<newHi, maxEdits: maxEdits)
        result += (0..<(old.count - oldHi)).map { .same(old: oldHi + $0, new: newHi + $0) }
        return result
    }

    private static func middle(_ a: [Substring], _ ar: Range<Int>, _ b: [Substring], _ br: Range<Int>, maxEdits: Int) -> [Op] {
        let n = ar.count, m = br.count
        if n == 0 { return br.map { .added(new: $0) } }
        if m == 0 { return ar.map { .removed(old: $0) } }
        let maxD = min(n + m, maxEdits)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...maxD {
            // Only the diagonals step d can read (-d-1 ... d+1): the trace stays O(D²).
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[ar.lowerBound + x] == b[br.lowerBound + y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    break outer
                }
            }
        }
        guard found else {
            return ar.map { .removed(old: $0) } + br.map { .added(new: $0) }
        }
        // Walk the trace back from the end.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let vd = trace[d]
            let base = d + 1
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && vd[base + k - 1] < vd[base + k + 1]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = d == 0 ? 0 : vd[base + prevK]
            let prevY = prevX - prevK
            while x > prevX && y > prevY {
                x -= 1
                y -= 1
                ops.append(.same(old: ar.lowerBound + x, new: br.lowerBound + y))
            }
            if d > 0 {
                if x == prevX { ops.append(.added(new: br.lowerBound + prevY)) } else { ops.append(.removed(old: ar.lowerBound + prevX)) }
            }
            x = prevX
            y = prevY
        }
        return ops.reversed()
    }
}
