/// What a value must be.
public enum ConfigType: Sendable, Hashable {
    /// Any string.
    case string
    /// `true` or `false`.
    case bool
    /// An integer, at least `minimum` when given.
    case integer(minimum: Int?)
    /// One of these strings.
    case choice([String])
    /// An array of strings.
    case strings
    /// A string or an array of strings (a key binding: one key or several).
    case stringOrStrings

    /// What is expected, for error messages and `kode config`.
    public var expected: String {
        switch self {
        case .string: "a string"
        case .bool: "true or false"
        case .integer(let minimum?): "an integer of at least \(minimum)"
        case .integer(nil): "an integer"
        case .choice(let options): "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .strings: "an array of strings"
        case .stringOrStrings: "a string or an array of strings"
        }
    }

    /// Whether `value` is of this type.
    public func accepts(_ value: ConfigValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.bool, .bool): true
        case (.integer(let minimum), .integer(let n)): minimum.map { n >= $0 } ?? true
        case (.choice(let options), .string(let s)): options.contains(s)
        case (.strings, _): value.strings != nil
        case (.stringOrStrings, .string): true
        case (.stringOrStrings, _): value.strings != nil
        default: false
        }
    }
}

/// One key of a table.
public struct ConfigKeySpec: Sendable, Hashable {
    /// The snake_case name.
    public var name: String
    /// Its type.
    public var type: ConfigType
    /// The value when no file sets it; nil when unset means "decided elsewhere" (said in `help`).
    public var defaultValue: ConfigValue?
    /// One line for `kode config` and docs/CONFIG.md.
    public var help: String

    /// A key.
    public init(_ name: String, _ type: ConfigType, default defaultValue: ConfigValue? = nil, help: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// One `[table]`: its known keys, or any key name with one type (`[keys]`: command names, checked
/// by the app, which knows them).
public struct ConfigTableSpec: Sendable, Hashable {
    /// The table's name.
    public var name: String
    /// The known keys.
    public var keys: [ConfigKeySpec]
    /// When set, any key is allowed with this type.
    public var anyKey: ConfigType?

    /// A table.
    public init(_ name: String, keys: [ConfigKeySpec] = [], anyKey: ConfigType? = nil) {
        self.name = name
        self.keys = keys
        self.anyKey = anyKey
    }

    /// The spec of `key`.
    public func spec(_ key: String) -> ConfigKeySpec? { keys.first { $0.name == key } }
}

/// The tables a file may have. A file holds tables only: every setting lives in one.
public struct ConfigSchema: Sendable, Hashable {
    /// The tables, in the order `kode config` shows them.
    public var tables: [ConfigTableSpec]

    /// A schema.
    public init(tables: [ConfigTableSpec]) { self.tables = tables }

    /// The spec of `table`.
    public func table(_ name: String) -> ConfigTableSpec? { tables.first { $0.name == name } }

    /// Checks every key of `document`: an unknown table or key, or a value of the wrong type, is
    /// an error naming the file, the line and the key.
    public func validate(_ document: ConfigDocument) throws(ConfigError) {
        let tableNames = tables.map(\.name).joined(separator: ", ")
        for name in document.root.keys.sorted() {
            let value = document.root[name]!
            guard case .table(let entries) = value else {
                var message = "unknown key '\(name)' at the top level (settings live in tables: \(tableNames))"
                if let home = tables.first(where: { $0.spec(name) != nil }) {
                    message += "; did you mean '\(name)' in [\(home.name)]?"
                }
                throw document.error(at: [name], message)
            }
            guard let spec = table(name) else {
                throw document.error(at: [name], "unknown table [\(name)] (known: \(tableNames))")
            }
            for key in entries.keys.sorted() {
                let entry = entries[key]!
                let type: ConfigType
                if let known = spec.spec(key) {
                    type = known.type
                } else if let any = spec.anyKey {
                    type = any
                } else {
                    let known = spec.keys.map(\.name).joined(separator: ", ")
                    throw document.error(at: [name, key], "unknown key '\(key)' in [\(name)] (known: \(known))")
                }
                guard type.accepts(entry) else {
                    throw document.error(at: [name, key], "'\(key)' in [\(name)] must be \(type.expected), not \(Self.shown(entry))")
                }
            }
        }
    }

    private static func shown(_ value: ConfigValue) -> String {
        if case .string = value { return value.description }
        return value.typeName
    }
}
