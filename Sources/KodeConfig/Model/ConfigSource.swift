/// Where a setting's value came from.
public enum ConfigSource: Sendable, Hashable, CustomStringConvertible {
    /// Built into Kode: no file sets it.
    case defaultValue
    /// A file (as shown to people, `~/…` for the home directory) and the 1-based line of the key.
    case file(String, line: Int)

    /// `default` or `path:line`.
    public var description: String {
        switch self {
        case .defaultValue: "default"
        case .file(let path, let line): "\(path):\(line)"
        }
    }
}

/// A value and where it came from.
public struct ConfigEntry: Sendable, Hashable {
    /// The value.
    public var value: ConfigValue
    /// Its source.
    public var source: ConfigSource

    /// An entry.
    public init(value: ConfigValue, source: ConfigSource) {
        self.value = value
        self.source = source
    }
}
