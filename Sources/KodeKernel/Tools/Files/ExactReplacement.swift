/// Exact text replacement on a file's bytes, shared by `fs_edit` and `fs_multi_edit`.
/// Byte-exact matching: no Unicode normalisation, so what the model quoted is what is replaced.
enum ExactReplacement {
    /// Replaces `old` by `new` in `bytes`: exactly one occurrence, or all with `replaceAll`.
    /// Returns the new bytes and how many occurrences were replaced; `label` names the edit in errors.
    static func apply(old: String, new: String, replaceAll: Bool, to bytes: [UInt8], in shown: String, label: String = "old_string", newLabel: String = "new_string") throws -> (bytes: [UInt8], count: Int) {
        guard !old.isEmpty else { throw ToolFailure("\(label) is empty; say which text to replace") }
        guard old != new else { throw ToolFailure("\(label) and \(newLabel) are identical; nothing would change") }
        let needle = Array(old.utf8)
        let positions = occurrences(of: needle, in: bytes)
        if positions.isEmpty {
            throw ToolFailure("\(label) was not found in \(shown); it must match exactly, including whitespace and indentation")
        }
        if positions.count > 1 && !replaceAll {
            throw ToolFailure("\(label) occurs \(positions.count) times in \(shown); include more surrounding text to make it unique, or set replace_all to true")
        }
        let replacement = Array(new.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + positions.count * (replacement.count - needle.count))
        var cursor = 0
        for position in positions {
            result.append(contentsOf: bytes[cursor..<position])
            result.append(contentsOf: replacement)
            cursor = position + needle.count
        }
        result.append(contentsOf: bytes[cursor...])
        return (result, positions.count)
    }

    /// Start offsets of the non-overlapping occurrences of `needle`, left to right.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var positions: [Int] = []
        var index = 0
        let first = needle[0], lastStart = haystack.count - needle.count
        while index <= lastStart {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                positions.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return positions
    }
}
