/// Typed access to a tool's input object. The agent validates inputs against the schema first;
/// this re-checks, so a tool called directly still gets a clear message instead of a crash.
struct ToolInputReader {
    let input: JSONValue
    let tool: String

    func string(_ name: String) throws -> String {
        guard let value = input[name]?.stringValue else { throw missing(name, "a string") }
        return value
    }

    func optionalString(_ name: String) throws -> String? {
        guard let value = input[name], value != .null else { return nil }
        guard let text = value.stringValue else { throw missing(name, "a string") }
        return text
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let value = input[name], value != .null else { return nil }
        guard let number = value.intValue else { throw missing(name, "an integer") }
        return number
    }

    func optionalBool(_ name: String) throws -> Bool? {
        guard let value = input[name], value != .null else { return nil }
        guard let flag = value.boolValue else { throw missing(name, "a boolean") }
        return flag
    }

    /// The sandbox as the built-ins need it.
    static func workspace(_ context: ToolContext, tool: String) throws -> any WorkspaceSandbox {
        guard let sandbox = context.sandbox as? any WorkspaceSandbox else {
            throw ToolFailure("\(tool) needs a WorkspaceSandbox (such as LocalSandbox); this agent's sandbox is \(type(of: context.sandbox))")
        }
        return sandbox
    }

    private func missing(_ name: String, _ kind: String) -> ToolFailure {
        ToolFailure("invalid input for \(tool): input.\(name) must be \(kind)")
    }
}
