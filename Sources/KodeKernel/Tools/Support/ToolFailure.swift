/// An expected failure inside a built-in tool (file missing, text not found, …). Built-ins turn it
/// and `SandboxError` into a failed `ToolOutput` whose text the model reads.
struct ToolFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Runs a built-in tool's body, turning expected errors into a failed result and letting
/// cancellation through untouched (the agent seals interrupted calls itself).
func runReportingFailures(_ body: () async throws -> ToolOutput) async throws -> ToolOutput {
    do {
        return try await body()
    } catch let error as CancellationError {
        throw error
    } catch let error as ToolFailure {
        return .failure(error.description)
    } catch let error as SandboxError {
        return .failure(error.description)
    } catch let error as SchemaViolation {
        return .failure("invalid input: \(error.description)")
    }
}
