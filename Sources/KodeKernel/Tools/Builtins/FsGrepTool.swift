import Foundation

/// `fs_grep {pattern, path?, glob?}`: lines matching a regular expression, as `file:line:text`.
public struct FsGrepTool: Tool {
    /// Matching lines listed at most.
    public static let maxMatches = 500
    /// Characters shown of a matching line.
    public static let maxLineLength = 400
    /// Files larger than this are skipped (and counted).
    public static let maxFileBytes = 10 << 20

    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "fs_grep" }
    public var description: String {
        "Search file contents with a regular expression (NSRegularExpression syntax). path is a file or directory (default: the working directory); glob filters file names, e.g. *.swift. Binary files and .git are skipped."
    }
    public var isReadOnly: Bool { true }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "pattern": ["type": "string", "minLength": 1, "description": "Regular expression matched against each line."],
                "path": ["type": "string", "minLength": 1, "description": "File or directory to search, relative to the working directory."],
                "glob": ["type": "string", "minLength": 1, "description": "Only files whose path (or, without a slash, whose name) matches, e.g. *.swift or src/**/*.ts."],
            ],
            "required": ["pattern"],
            "additionalProperties": false,
        ]
    }

    public func permissionSubject(for input: JSONValue) -> String? {
        PathSubject.normalize(input["path"]?.stringValue ?? ".")
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let reader = ToolInputReader(input: input, tool: name)
            let pattern = try reader.string("pattern")
            let path = try reader.optionalString("path") ?? "."
            let globText = try reader.optionalString("glob")
            let regex: NSRegularExpression
            do { regex = try NSRegularExpression(pattern: pattern) } catch {
                throw ToolFailure("invalid regular expression \(JSONValue.string(pattern).compactText): \(error.localizedDescription)")
            }
            let glob = globText.map(GlobPattern.init)
            let matchNameOnly = globText.map { !$0.contains("/") } ?? false

            let sandbox = try ToolInputReader.workspace(context, tool: name)
            let start = try sandbox.resolve(path, forWriting: false)
            var search = Search(regex: regex)

            switch DirectoryWalker.kind(of: start.path) {
            case .directory:
                let display = sandbox.displayPath(start)
                var walker = DirectoryWalker()
                walker.walk(start, prefix: display == "." ? "" : display + "/") { entry in
                    if Task.isCancelled || search.full { return false }
                    if let glob {
                        let subject = matchNameOnly ? entry.url.lastPathComponent : entry.relativePath
                        guard entry.kind != .directory, glob.matches(subject) else { return true }
                    }
                    switch entry.kind {
                    case .file:
                        search.scan(entry.url, display: entry.relativePath)
                    case .symlink:
                        // Follow a file symlink only if it stays inside the sandbox.
                        if let target = try? sandbox.resolve(entry.relativePath, forWriting: false),
                           DirectoryWalker.kind(of: target.path) == .file {
                            search.scan(target, display: entry.relativePath)
                        }
                    default:
                        break
                    }
                    return true
                }
                search.walkLimitHit = walker.hitLimit
            case .file:
                search.scan(start, display: sandbox.displayPath(start))
            default:
                throw ToolFailure("path not found: \(path)")
            }
            try Task.checkCancellation()
            return ToolOutput(content: search.report(pattern: pattern))
        }
    }

    /// The running state of one search.
    private struct Search {
        let regex: NSRegularExpression
        var lines: [String] = []
        var extra = 0
        var skippedBinary = 0
        var skippedLarge = 0
        var walkLimitHit = false

        init(regex: NSRegularExpression) {
            self.regex = regex
        }

        /// Beyond this many matches only counting continues, and beyond ten times it the walk stops.
        var full: Bool { lines.count >= FsGrepTool.maxMatches && extra >= FsGrepTool.maxMatches * 10 }

        mutating func scan(_ url: URL, display: String) {
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            if size > FsGrepTool.maxFileBytes {
                skippedLarge += 1
                return
            }
            guard let data = try? Data(contentsOf: url) else { return }
            if TextFile.looksBinary(data) {
                skippedBinary += 1
                return
            }
            let text = String(decoding: data, as: UTF8.self)
            for (index, line) in TextFile.lines(text).enumerated() {
                let string = String(line)
                guard regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil else { continue }
                if lines.count < FsGrepTool.maxMatches {
                    let shown = string.count > FsGrepTool.maxLineLength ? String(string.prefix(FsGrepTool.maxLineLength)) + "…" : string
                    lines.append("\(display):\(index + 1):\(shown)")
                } else {
                    extra += 1
                    if full { return }
                }
            }
        }

        func report(pattern: String) -> String {
            var text = lines.isEmpty ? "no matches for \(JSONValue.string(pattern).compactText)" : lines.joined(separator: "\n")
            if extra > 0 {
                let counted = full ? "at least \(extra)" : "\(extra)"
                text += "\n[\(counted) more matching line\(extra == 1 ? "" : "s") not shown; narrow the pattern, path or glob]"
            }
            if skippedBinary > 0 { text += "\n[\(skippedBinary) binary file\(skippedBinary == 1 ? "" : "s") skipped]" }
            if skippedLarge > 0 { text += "\n[\(skippedLarge) file\(skippedLarge == 1 ? "" : "s") over \(FsGrepTool.maxFileBytes >> 20) MiB skipped]" }
            if walkLimitHit { text += "\n[search stopped early: too many files; narrow the path]" }
            return text
        }
    }
}
