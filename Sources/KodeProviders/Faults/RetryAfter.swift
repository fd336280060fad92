import Foundation

/// Reads the server's advice on when to retry.
package enum RetryAfter {
    /// The wait requested by `retry-after-ms` (milliseconds, as OpenAI sends) or `retry-after`
    /// (delay in seconds, or an HTTP date), relative to `now`; nil when absent or unreadable.
    package static func delay(headers: [(name: String, value: String)], now: Date = Date()) -> Duration? {
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
                .trimmingCharacters(in: .whitespaces)
        }
        if let text = header("retry-after-ms"), let millis = Double(text), millis >= 0, millis.isFinite {
            return .milliseconds(Int64(millis))
        }
        guard let text = header("retry-after") else { return nil }
        if let seconds = Double(text), seconds >= 0, seconds.isFinite {
            return .milliseconds(Int64(seconds * 1000))
        }
        guard let date = httpDate(text) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64(seconds * 1000))
    }

    /// Parses an IMF-fixdate such as `Wed, 21 Oct 2015 07:28:00 GMT` (RFC 9110 §5.6.7).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
