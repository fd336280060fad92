/// A value read from a TOML file, copied out of TOMLKit so it is `Sendable` and outlives the
/// parser's C++ table.
public enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    /// A string.
    case string(String)
    /// An integer.
    case integer(Int)
    /// A float.
    case float(Double)
    /// A boolean.
    case bool(Bool)
    /// Dates and times, kept as their TOML text: no setting takes one yet.
    case dateTime(String)
    /// An array.
    case array([ConfigValue])
    /// A table (or inline table), by key.
    case table([String: ConfigValue])

    /// The string, when this is one.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer, when this is one.
    public var integer: Int? { if case .integer(let n) = self { return n } else { return nil } }
    /// The boolean, when this is one.
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The items, when this is an array.
    public var array: [ConfigValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// The strings, when this is an array of strings only.
    public var strings: [String]? {
        guard let items = array else { return nil }
        let strings = items.compactMap(\.string)
        return strings.count == items.count ? strings : nil
    }

    /// What kind of value this is, as an error message names it.
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .bool: "a boolean"
        case .dateTime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The value in TOML syntax (for `kode config`).
    public var description: String {
        switch self {
        case .string(let s): ConfigValue.quoted(s)
        case .integer(let n): "\(n)"
        case .float(let d): "\(d)"
        case .bool(let b): "\(b)"
        case .dateTime(let t): t
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .table(let t): "{ " + t.keys.sorted().map { "\($0) = \(t[$0]!)" }.joined(separator: ", ") + " }"
        }
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}
