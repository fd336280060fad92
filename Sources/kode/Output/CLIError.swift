/// A failure the CLI reports as `kode: message` with a specific exit code.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var code: Int32

    /// Bad usage, a bad input file or a missing working directory.
    static let usageCode: Int32 = 2
    /// The run stopped at an approval nobody could answer; the request is durable.
    static let approvalCode: Int32 = 3

    static func usage(_ message: String) -> CLIError { CLIError(message: message, code: usageCode) }
    static func runtime(_ message: String) -> CLIError { CLIError(message: message, code: 1) }

    var description: String { message }
}
