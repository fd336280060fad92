/// Why a value does not fit a JSON schema: where (`input.todos[1].status`) and what is wrong
/// (`expected one of pending, in_progress, completed, got "done"`).
public struct SchemaViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The location in the value, starting at `input`.
    public var path: String
    /// What is wrong there.
    public var message: String

    /// A violation at `path` (e.g. `input.todos[1].status`) with `message`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        "\(path): \(message)"
    }
}

/// A schema the validator cannot apply (a mistake in a tool's definition, not in the input).
public struct InvalidSchema: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the schema.
    public var path: String
    /// What is wrong with it.
    public var message: String

    public var description: String {
        "invalid schema at \(path): \(message)"
    }
}
