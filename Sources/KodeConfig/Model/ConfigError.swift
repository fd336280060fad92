/// A configuration file that cannot be used: the file, the line, the key (when there is one) and
/// what is wrong. Printed as `file:line: message`, the form editors jump to.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as shown to people (`~/…` for the home directory).
    public var file: String
    /// 1-based line; 0 when the problem is the file as a whole (it cannot be read).
    public var line: Int
    /// The dotted key (`app.on_hangup`), nil for a syntax error.
    public var key: String?
    /// What is wrong, naming the key.
    public var message: String

    /// An error.
    public init(file: String, line: Int, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: message` (or `file: message` without a line).
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
