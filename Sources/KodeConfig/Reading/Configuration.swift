import Foundation

/// The effective configuration: the defaults, then the user's file, then the project's, each
/// overriding the one before key by key. Every value knows where it came from.
public struct Configuration: Sendable {
    /// The schema the files were checked against.
    public var schema: ConfigSchema
    /// The files that were read, lowest precedence first (as shown to people).
    public var files: [String]
    private var entries: [String: [String: ConfigEntry]]

    /// The defaults only.
    public init(schema: ConfigSchema = .kode) {
        self.schema = schema
        files = []
        entries = [:]
        for table in schema.tables {
            for key in table.keys {
                if let value = key.defaultValue { entries[table.name, default: [:]][key.name] = ConfigEntry(value: value, source: .defaultValue) }
            }
        }
    }

    /// The defaults overridden by `documents` in order, each checked against `schema`.
    public init(documents: [ConfigDocument], schema: ConfigSchema = .kode) throws(ConfigError) {
        self.init(schema: schema)
        for document in documents {
            try schema.validate(document)
            files.append(document.file)
            for (table, value) in document.root {
                guard case .table(let values) = value, let spec = schema.table(table) else { continue }
                absorb(values, spec: spec, path: [table], from: document)
            }
        }
    }

    /// Takes every key of one (validated) table; sub-tables and named profiles go under their
    /// dotted paths (`templates.review.sandbox`), so each key still overrides key by key.
    private mutating func absorb(_ values: [String: ConfigValue], spec: ConfigTableSpec, path: [String], from document: ConfigDocument) {
        let table = path.joined(separator: ".")
        if let named = spec.named?.spec {
            for (name, value) in values {
                guard case .table(let inner) = value else { continue }
                entries[table + "." + name, default: [:]] = entries[table + "." + name, default: [:]]
                absorb(inner, spec: named, path: path + [name], from: document)
            }
            return
        }
        for (key, value) in values {
            if let sub = spec.subtable(key), case .table(let inner) = value {
                absorb(inner, spec: sub, path: path + [key], from: document)
            } else {
                entries[table, default: [:]][key] = ConfigEntry(value: value, source: document.source(of: path + [key]))
            }
        }
    }

    /// The names of the profiles under a named table (`templates`, `models`), sorted. A name may
    /// hold dots (`[models."gpt-4.1"]`): only the profile's own sub-tables are taken off the end.
    public func names(in table: String) -> [String] {
        let prefix = table + "."
        let subtables = schema.table(table)?.named?.spec.subtables.map { "." + $0.name } ?? []
        var names = Set<String>()
        for key in entries.keys where key.hasPrefix(prefix) {
            var name = String(key.dropFirst(prefix.count))
            if let suffix = subtables.first(where: { name.hasSuffix($0) }), entries[prefix + name.dropLast(suffix.count)] != nil {
                name = String(name.dropLast(suffix.count))
            }
            names.insert(name)
        }
        return names.sorted()
    }

    /// Reads the user's file and the project's (for `workDir`); missing files are skipped.
    public static func load(environment: [String: String], workDir: String? = nil) throws(ConfigError) -> Configuration {
        var paths = [ConfigPaths.userFile(environment)]
        let project = ConfigPaths.projectFile(workDir: workDir ?? FileManager.default.currentDirectoryPath)
        if !paths.contains(project) { paths.append(project) }
        var documents: [ConfigDocument] = []
        for path in paths {
            if let document = try ConfigDocument.load(path: path, shownAs: ConfigPaths.shown(path, environment)) {
                documents.append(document)
            }
        }
        return try Configuration(documents: documents)
    }

    /// The value of `key` in `table` (a dotted path for nested tables: `templates.review`) and its
    /// source; nil when neither a file nor a default sets it.
    public subscript(table: String, key: String) -> ConfigEntry? { entries[table]?[key] }

    /// Every key set in `table`, sorted by name.
    public func entries(in table: String) -> [(key: String, entry: ConfigEntry)] {
        (entries[table] ?? [:]).sorted { $0.key < $1.key }.map { (key: $0.key, entry: $0.value) }
    }

    /// An error at the line of `table`.`key` (or, for a default, at no file).
    public func error(table: String, key: String, _ message: String) -> ConfigError {
        let dotted = "\(table).\(key)"
        guard case .file(let file, let line)? = self[table, key]?.source else {
            return ConfigError(file: "default", line: 0, key: dotted, message: message)
        }
        return ConfigError(file: file, line: line, key: dotted, message: message)
    }
}
