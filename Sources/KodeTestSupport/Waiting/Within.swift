import KodeKernel
import Testing

/// The bound on a wait for something a test brought about in its own process (an event, a view,
/// an idle agent). Generous: only a hang reaches it, and a hang must fail its test, not stop the
/// run — every test of a process shares the two threads of the cooperative pool here.
public let hangLimit: Duration = .seconds(90)

/// What `body` returns, or `TestTimeout` naming `what` once `limit` passes first.
///
/// The body runs in a task of its own, cancelled at the limit and left to end on its own: a wait
/// that ignores cancellation (a reply read from a socket) fails the test all the same.
public func within<T: Sendable>(
    _ what: String, limit: Duration = hangLimit,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    do {
        return try await Deadline.run(limit, body)
    } catch is DeadlineExceeded {
        throw TestTimeout(what: "\(what): nothing within \(limit)")
    }
}

/// The first element of `sequence` that `match` accepts; nil when the sequence ends first.
///
/// A wait that reaches `limit` records an issue naming `what` at the caller and returns nil, so
/// an event that never comes fails the test that waited for it.
public func firstMatch<S: AsyncSequence & Sendable>(
    in sequence: S, within limit: Duration = hangLimit, _ what: String = "a matching element",
    sourceLocation: SourceLocation = #_sourceLocation,
    where match: @escaping @Sendable (S.Element) -> Bool
) async -> S.Element? where S.Element: Sendable {
    do {
        return try await within(what, limit: limit) { () -> Found<S.Element> in
            for try await element in sequence where match(element) { return Found(element: element) }
            return Found(element: nil)
        }.element
    } catch let timeout as TestTimeout {
        Issue.record("timed out: \(timeout.what)", sourceLocation: sourceLocation)
    } catch {
        Issue.record(error, "waiting for \(what)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Waits until `sequence` ends (a subscription closed), bounded like ``firstMatch(in:within:_:sourceLocation:where:)``.
public func untilEnd<S: AsyncSequence & Sendable>(
    of sequence: S, within limit: Duration = hangLimit, _ what: String = "the end of the sequence",
    sourceLocation: SourceLocation = #_sourceLocation
) async where S.Element: Sendable {
    _ = await firstMatch(in: sequence, within: limit, what, sourceLocation: sourceLocation) { _ in false }
}

/// `within` needs a value to tell "ended without a match" from "timed out".
private struct Found<Element: Sendable>: Sendable {
    var element: Element?
}
