import Foundation
import TOMLKit

/// One TOML file, parsed by TOMLKit: its values and the line of each key.
public struct ConfigDocument: Sendable {
    /// The file as shown to people (`~/…` for the home directory).
    public var file: String
    /// The top-level table.
    public var root: [String: ConfigValue]
    private var lines: KeyLines

    /// Parses `text`; `file` names it in errors. A syntax error is a `ConfigError` with TOMLKit's
    /// line (its column is added to the message).
    public init(text: String, file: String) throws(ConfigError) {
        self.file = file
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                file: file, line: max(error.source.begin.line, 1), key: nil,
                message: "\(error.description) (column \(error.source.begin.column))")
        } catch {
            throw ConfigError(file: file, line: 1, key: nil, message: "\(error)")
        }
        root = Self.convert(table)
        lines = KeyLines(text: text)
    }

    /// Reads and parses `path`; nil when there is no such file.
    public static func load(path: String, shownAs file: String) throws(ConfigError) -> ConfigDocument? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: file, line: 0, key: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, line: 0, key: nil, message: "the file is not UTF-8 text")
        }
        return try ConfigDocument(text: text, file: file)
    }

    /// The 1-based line where `path` (table names then key) is written.
    public func line(of path: [String]) -> Int { lines.line(of: path) }

    /// Where `path` is written, as a source.
    public func source(of path: [String]) -> ConfigSource { .file(file, line: line(of: path)) }

    /// An error at `path`'s line.
    public func error(at path: [String], _ message: String) -> ConfigError {
        ConfigError(file: file, line: line(of: path), key: path.joined(separator: "."), message: message)
    }

    private static func convert(_ table: TOMLTable) -> [String: ConfigValue] {
        var out: [String: ConfigValue] = [:]
        for (key, value) in table { out[key] = convert(value) }
        return out
    }

    private static func convert(_ value: any TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table: return .table(value.table.map(convert) ?? [:])
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .date, .time, .dateTime: return .dateTime(value.debugDescription)
        }
    }
}
