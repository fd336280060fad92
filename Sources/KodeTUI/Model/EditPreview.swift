import Foundation
import KodeKernel

/// A file as it was when a write or edit was asked for: what its diff is computed against.
package enum BaseFile: Sendable, Hashable {
    /// The file does not exist: a write creates it.
    case missing
    case text(String)
    /// It could not be read (too large, binary, no permission): the diff is shown without it.
    case unreadable(String)

    /// The largest file read for a diff.
    package static let maxBytes = 4 << 20

    /// Reads `path` (run off the UI path, in an effect).
    package static func read(_ path: String) -> BaseFile {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return .missing }
        if isDir.boolValue { return .unreadable("a directory") }
        if let size = (try? fm.attributesOfItem(atPath: path))?[.size] as? Int, size > maxBytes {
            return .unreadable("larger than \(maxBytes >> 20) MB")
        }
        guard let data = fm.contents(atPath: path) else { return .unreadable("cannot be read") }
        if data.prefix(8_000).contains(0) { return .unreadable("a binary file") }
        return .text(String(decoding: data, as: UTF8.self))
    }
}

/// The diff a file tool's call makes: `fs_write {path, content}`, `fs_edit {path, old_string,
/// new_string, replace_all?}` and `fs_multi_edit {path, edits: [{old_string, new_string,
/// replace_all?}]}` (applied in order, each to the result of the one before, as the tool does).
package enum EditPreview {
    /// The tools whose calls are shown as diffs.
    package static let tools: Set<String> = ["fs_write", "fs_edit", "fs_multi_edit"]

    /// The file a call changes, as the call names it.
    package static func path(_ input: JSONValue) -> String? { input["path"]?.stringValue }

    /// The absolute path of `path` in `workDir` (nil when it cannot be known).
    package static func resolve(_ path: String, workDir: String?) -> String? {
        if path.hasPrefix("/") { return path }
        guard let workDir, !workDir.isEmpty else { return nil }
        return URL(fileURLWithPath: workDir).appendingPathComponent(path).standardizedFileURL.path
    }

    /// One replacement of an edit.
    struct Replacement {
        var old: String
        var new: String
        var all: Bool
    }

    static func replacements(tool: String, input: JSONValue) -> [Replacement]? {
        func one(_ v: JSONValue) -> Replacement? {
            guard let old = (v["old_string"] ?? v["old"])?.stringValue, let new = (v["new_string"] ?? v["new"])?.stringValue else { return nil }
            return Replacement(old: old, new: new, all: v["replace_all"]?.boolValue == true)
        }
        switch tool {
        case "fs_edit": return one(input).map { [$0] }
        case "fs_multi_edit":
            guard let edits = input["edits"]?.arrayValue else { return nil }
            let all = edits.compactMap(one)
            return all.count == edits.count ? all : nil
        default: return nil
        }
    }

    /// The diff of a call of `tool` with `input` against `base` (nil: the file was not read).
    package static func diff(tool: String, input: JSONValue, base: BaseFile?) -> FileDiff? {
        guard let path = path(input) else { return nil }
        if tool == "fs_write" {
            guard let content = input["content"]?.stringValue else { return nil }
            switch base {
            case .missing?: return FileDiff.between(path: path, old: "", new: content, kind: .create)
            case .text(let old)?: return FileDiff.between(path: path, old: old, new: content, kind: .overwrite)
            case .unreadable(let why)?:
                var d = FileDiff.between(path: path, old: "", new: content, kind: .write)
                d.note = "the file is \(why)"
                return d
            case nil:
                return FileDiff.between(path: path, old: "", new: content, kind: .write)
            }
        }
        guard let edits = replacements(tool: tool, input: input) else { return nil }
        let pairs = edits.map { (old: $0.old, new: $0.new) }
        switch base {
        case .text(let old)?:
            var text = Array(old.utf8)
            var count = 0
            for e in edits {
                let positions = occurrences(Array(e.old.utf8), in: text)
                guard !positions.isEmpty else {
                    return FileDiff.snippet(path: path, edits: pairs, note: "the text to replace is not in the file as it is now")
                }
                let used = e.all ? positions : [positions[0]]
                count += used.count
                text = replacing(text, at: used, length: e.old.utf8.count, with: Array(e.new.utf8))
            }
            var d = FileDiff.between(path: path, old: old, new: String(decoding: text, as: UTF8.self), kind: .edit)
            if count > edits.count { d.note = "\(count) replacements" }
            return d
        case .missing?:
            return FileDiff.snippet(path: path, edits: pairs, note: "the file does not exist")
        case .unreadable(let why)?:
            return FileDiff.snippet(path: path, edits: pairs, note: "the file is \(why)")
        case nil:
            return FileDiff.snippet(path: path, edits: pairs, note: nil)
        }
    }

    /// Start offsets of the non-overlapping occurrences of `needle`, byte-exact as the tool matches.
    static func occurrences(_ needle: [UInt8], in hay: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= hay.count else { return [] }
        var result: [Int] = []
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) {
                result.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return result
    }

    static func replacing(_ bytes: [UInt8], at positions: [Int], length: Int, with new: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + positions.count * new.count)
        var cursor = 0
        for p in positions {
            out += bytes[cursor..<p]
            out += new
            cursor = p + length
        }
        out += bytes[cursor...]
        return out
    }

    /// Reads to start for diffs of pending approvals whose file has not been read (a request
    /// that arrived, or one that was pending when the agent was opened).
    package static func reads(_ model: inout AppModel) -> [Effect] {
        var effects: [Effect] = []
        for req in model.approvals.pending where tools.contains(req.call.name) && !model.baseRequested.contains(req.callId) {
            guard let p = path(req.call.input), let abs = resolve(p, workDir: model.info.workDir) else { continue }
            model.baseRequested.insert(req.callId)
            effects.append(.readBaseFile(callId: req.callId, path: abs))
        }
        return effects
    }
}
