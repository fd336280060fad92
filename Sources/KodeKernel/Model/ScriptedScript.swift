import Foundation

/// A script for the `scripted` provider:
/// `{"turns":[{"thinking":"…","text":"…","tool_calls":[{"name":"bash_run","input":{"cmd":"echo hi"}}]},{"text":"done"}],"chunk_size":8,"chunk_delay_ms":0}`.
///
/// Turn k answers the k-th model call of the conversation (k = assistant messages so far), so a
/// resumed or forked agent continues deterministically. Besides the documented fields a turn may
/// carry `usage` (`{"input":…,"output":…}`), `error` (the call fails with that message;
/// `error_kind` picks a ``ModelError/Kind``) and `cut_after_chars` (the stream is cut after that
/// many characters of text, as a dropped connection would). At the top level, `summary` is the
/// answer to every compaction summary request (without it the answer describes the request) and
/// `summary_error` makes those requests fail.
public struct ScriptedScript: Sendable, Hashable {
    public struct ToolCall: Sendable, Hashable {
        public var name: String
        public var input: JSONValue
        /// `input` as compact JSON, encoded once when the script is read.
        public var inputJSON: String
    }

    public struct Turn: Sendable, Hashable {
        public var thinking: String?
        public var text: String?
        public var toolCalls: [ToolCall]
        public var usage: TokenUsage?
        public var error: String?
        public var errorKind: ModelError.Kind
        public var cutAfterChars: Int?
    }

    public var turns: [Turn]
    public var chunkSize: Int
    public var chunkDelayMs: Int
    /// The answer to every compaction summary request (`summary`); nil describes the request.
    public var summary: String?
    /// When set (`summary_error`), every summary request fails with this message.
    public var summaryError: String?

    public init(turns: [Turn], chunkSize: Int = 8, chunkDelayMs: Int = 0, summary: String? = nil, summaryError: String? = nil) {
        self.turns = turns
        self.chunkSize = chunkSize
        self.chunkDelayMs = chunkDelayMs
        self.summary = summary
        self.summaryError = summaryError
    }

    /// Reads and validates a script file; errors name the file and the JSON path.
    public static func load(path: String) throws -> ScriptedScript {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScriptError(source: path, path: "", message: "cannot read the script: \((error as NSError).localizedDescription)")
        }
        return try parse(data, source: path)
    }

    /// Parses and validates script JSON.
    public static func parse(_ data: Data, source: String) throws -> ScriptedScript {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw ScriptError(source: source, path: "", message: "not valid JSON (\(error))")
        }
        guard let object = root.objectValue else { throw ScriptError(source: source, path: "", message: "expected an object with \"turns\"") }
        try checkKeys(object, allowed: ["turns", "chunk_size", "chunk_delay_ms", "summary", "summary_error"], source: source, path: "")
        guard let turnValues = object["turns"]?.arrayValue else {
            throw ScriptError(source: source, path: "turns", message: "missing or not an array")
        }
        let chunkSize = try optionalInt(object["chunk_size"], source: source, path: "chunk_size", minimum: 1) ?? 8
        let delay = try optionalInt(object["chunk_delay_ms"], source: source, path: "chunk_delay_ms", minimum: 0) ?? 0
        var turns: [Turn] = []
        for (i, value) in turnValues.enumerated() {
            turns.append(try parseTurn(value, source: source, path: "turns[\(i)]"))
        }
        return ScriptedScript(
            turns: turns, chunkSize: chunkSize, chunkDelayMs: delay,
            summary: try optionalString(object["summary"], source: source, path: "summary"),
            summaryError: try optionalString(object["summary_error"], source: source, path: "summary_error"))
    }

    private static func parseTurn(_ value: JSONValue, source: String, path: String) throws -> Turn {
        guard let turn = value.objectValue else { throw ScriptError(source: source, path: path, message: "expected an object") }
        try checkKeys(turn, allowed: ["thinking", "text", "tool_calls", "usage", "error", "error_kind", "cut_after_chars"], source: source, path: path)
        var calls: [ToolCall] = []
        if let raw = turn["tool_calls"] {
            guard let list = raw.arrayValue else { throw ScriptError(source: source, path: path + ".tool_calls", message: "expected an array") }
            for (j, entry) in list.enumerated() {
                let callPath = "\(path).tool_calls[\(j)]"
                guard let call = entry.objectValue else { throw ScriptError(source: source, path: callPath, message: "expected an object") }
                try checkKeys(call, allowed: ["name", "input"], source: source, path: callPath)
                guard let name = call["name"]?.stringValue, !name.isEmpty else {
                    throw ScriptError(source: source, path: callPath + ".name", message: "missing or not a string")
                }
                let input = call["input"] ?? .object([:])
                calls.append(ToolCall(name: name, input: input, inputJSON: input.compactText))
            }
        }
        var usage: TokenUsage?
        if let raw = turn["usage"] {
            guard let u = raw.objectValue else { throw ScriptError(source: source, path: path + ".usage", message: "expected an object") }
            usage = TokenUsage(input: u["input"]?.intValue ?? 0, output: u["output"]?.intValue ?? 0,
                               cacheRead: u["cache_read"]?.intValue ?? 0, cacheWrite: u["cache_write"]?.intValue ?? 0)
        }
        var kind = ModelError.Kind.server
        if let raw = turn["error_kind"] {
            guard let name = raw.stringValue, let parsed = ModelError.Kind(rawValue: name) else {
                throw ScriptError(source: source, path: path + ".error_kind", message: "unknown error kind")
            }
            kind = parsed
        }
        return Turn(
            thinking: try optionalString(turn["thinking"], source: source, path: path + ".thinking"),
            text: try optionalString(turn["text"], source: source, path: path + ".text"),
            toolCalls: calls, usage: usage,
            error: try optionalString(turn["error"], source: source, path: path + ".error"),
            errorKind: kind,
            cutAfterChars: try optionalInt(turn["cut_after_chars"], source: source, path: path + ".cut_after_chars", minimum: 0))
    }

    private static func checkKeys(_ object: [String: JSONValue], allowed: Set<String>, source: String, path: String) throws {
        for key in object.keys.sorted() where !allowed.contains(key) {
            let at = path.isEmpty ? key : "\(path).\(key)"
            throw ScriptError(source: source, path: at, message: "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private static func optionalString(_ value: JSONValue?, source: String, path: String) throws -> String? {
        guard let value else { return nil }
        guard let text = value.stringValue else { throw ScriptError(source: source, path: path, message: "expected a string") }
        return text
    }

    private static func optionalInt(_ value: JSONValue?, source: String, path: String, minimum: Int) throws -> Int? {
        guard let value else { return nil }
        guard let number = value.intValue, number >= minimum else {
            throw ScriptError(source: source, path: path, message: "expected an integer ≥ \(minimum)")
        }
        return number
    }
}

/// A script that does not parse or validate.
public struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    public var source: String
    public var path: String
    public var message: String

    public var description: String {
        path.isEmpty ? "script \(source): \(message)" : "script \(source): \(path): \(message)"
    }
}
