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
/// by the app, which knows them); the tables it may hold (`[templates.NAME.sandbox]`); or, for a
/// table of named profiles (`[templates.NAME]`), the spec every named sub-table follows.
public struct ConfigTableSpec: Sendable, Hashable {
    /// The table's name.
    public var name: String
    /// The known keys.
    public var keys: [ConfigKeySpec]
    /// When set, any key is allowed with this type.
    public var anyKey: ConfigType?
    /// Tables this table may contain, by name.
    public var subtables: [ConfigTableSpec]
    /// When set, every key of this table is a name and its value a table of this spec.
    public var named: Box?
    /// Keys that moved elsewhere: old name → where it lives now (said in the error).
    public var moved: [String: String]

    /// A named table's spec, boxed because a struct cannot contain itself.
    public final class Box: Sendable, Hashable {
        /// The spec.
        public let spec: ConfigTableSpec
        /// Boxes `spec`.
        public init(_ spec: ConfigTableSpec) { self.spec = spec }
        public static func == (a: Box, b: Box) -> Bool { a.spec == b.spec }
        public func hash(into hasher: inout Hasher) { hasher.combine(spec) }
    }

    /// A table.
    public init(_ name: String, keys: [ConfigKeySpec] = [], anyKey: ConfigType? = nil, subtables: [ConfigTableSpec] = [],
                named: ConfigTableSpec? = nil, moved: [String: String] = [:]) {
        self.name = name
        self.keys = keys
        self.anyKey = anyKey
        self.subtables = subtables
        self.named = named.map(Box.init)
        self.moved = moved
    }

    /// The spec of `key`.
    public func spec(_ key: String) -> ConfigKeySpec? { keys.first { $0.name == key } }

    /// The spec of the sub-table `name`.
    public func subtable(_ name: String) -> ConfigTableSpec? { subtables.first { $0.name == name } }
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
            try Self.validate(entries, spec: spec, path: [name], in: document)
        }
    }

    private static func validate(_ entries: [String: ConfigValue], spec: ConfigTableSpec, path: [String], in document: ConfigDocument) throws(ConfigError) {
        let shownTable = path.joined(separator: ".")
        if let named = spec.named?.spec {
            for name in entries.keys.sorted() {
                guard case .table(let inner) = entries[name]! else {
                    throw document.error(at: path + [name], "'\(name)' in [\(shownTable)] must be a table ([\(shownTable).\(name)]), not \(shown(entries[name]!))")
                }
                try validate(inner, spec: named, path: path + [name], in: document)
            }
            return
        }
        for key in entries.keys.sorted() {
            let entry = entries[key]!
            if let sub = spec.subtable(key) {
                guard case .table(let inner) = entry else {
                    throw document.error(at: path + [key], "'\(key)' in [\(shownTable)] must be a table ([\(shownTable).\(key)]), not \(shown(entry))")
                }
                try validate(inner, spec: sub, path: path + [key], in: document)
                continue
            }
            let type: ConfigType
            if let known = spec.spec(key) {
                type = known.type
            } else if let any = spec.anyKey {
                type = any
            } else {
                let known = (spec.keys.map(\.name) + spec.subtables.map { "[\($0.name)]" }).joined(separator: ", ")
                var message = "unknown key '\(key)' in [\(shownTable)] (known: \(known))"
                if let now = spec.moved[key] { message += "; it is now \(now)" }
                throw document.error(at: path + [key], message)
            }
            guard type.accepts(entry) else {
                throw document.error(at: path + [key], "'\(key)' in [\(shownTable)] must be \(type.expected), not \(shown(entry))")
            }
        }
    }

    private static func shown(_ value: ConfigValue) -> String {
        switch value {
        // An integer of the right type but out of range is shown with its value ("not -3"):
        // "not an integer" would contradict the message.
        case .string, .integer: return value.description
        default: return value.typeName
        }
    }
}
