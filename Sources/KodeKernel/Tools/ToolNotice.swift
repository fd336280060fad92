/// Something a tool wants on the Monitor besides its result, for example what an MCP server
/// wrote to stderr during the call. The agent emits each as an `error` event of phase `tool`
/// (severity `info` or `warning`); the text is the tool's, so whoever shows it sanitizes it.
public struct ToolNotice: Sendable, Hashable {
    public var severity: ErrorSeverity
    public var message: String

    public init(severity: ErrorSeverity = .info, message: String) {
        self.severity = severity
        self.message = message
    }
}
