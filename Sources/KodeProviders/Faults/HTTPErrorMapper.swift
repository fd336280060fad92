@_spi(KodeInternals) import KodeKernel

/// Turns a non-2xx response into a `ModelError` that quotes the vendor's own message and adds a
/// hint for the usual fix.
enum HTTPErrorMapper {
    static func failure(status: Int, headers: [(name: String, value: String)], body: [UInt8], vendor: VendorIdentity) -> AttemptFailure {
        let vendorMessage = extractMessage(body, secret: vendor.secret)
        let errorType = errorType(body)
        var kind: ModelError.Kind
        var hint: String? = nil
        switch status {
        case 401, 403:
            kind = .authentication
            hint = "check \(vendor.keyVariable)"
        case 429:
            kind = .rateLimited
        case 529:
            kind = .rateLimited  // Anthropic's "overloaded"
        case 408:
            kind = .timeout
        case 404:
            kind = .badRequest
            hint = "check the model name and the base URL"
        case 500...599:
            kind = .server
        default:
            kind = .badRequest
        }
        if errorType == "overloaded_error" { kind = .rateLimited }
        var message = "\(vendor.name): HTTP \(status)"
        if !vendorMessage.isEmpty { message += ": \(vendorMessage)" }
        if let hint { message += " (\(hint))" }
        let retryable = AttemptFailure.isTransient(kind)
        return AttemptFailure(
            ModelError(kind, message, httpStatus: status), retryable: retryable,
            retryAfter: retryable ? RetryAfter.delay(headers: headers) : nil)
    }

    /// The vendor's message: `error.message` (all three vendors), `error` as a string, `message`
    /// or `detail`; otherwise the body text itself.
    static func extractMessage(_ body: [UInt8], secret: String?) -> String {
        if let json = try? body.withUnsafeBytes({ bytes throws(FastJSONParser.Failure) in try FastJSONParser.parse(bytes) }) {
            let candidates: [JSONValue?] = [json["error"]?["message"], json["error"], json["message"], json["detail"]]
            for case .string(let text)? in candidates where !text.isEmpty {
                return SafeText.clean(text, hiding: secret)
            }
        }
        return SafeText.clean(String(decoding: body.prefix(2000), as: UTF8.self), hiding: secret, limit: 300)
    }

    private static func errorType(_ body: [UInt8]) -> String? {
        guard let json = try? body.withUnsafeBytes({ bytes throws(FastJSONParser.Failure) in try FastJSONParser.parse(bytes) }) else { return nil }
        return json["error"]?["type"]?.stringValue
    }
}
