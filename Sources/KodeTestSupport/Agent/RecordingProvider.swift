import Foundation
import KodeKernel
import Synchronization

/// Wraps a model provider and keeps every request it was sent, so a test can check what
/// reached the model (reminders, summaries, compacted conversations).
public final class RecordingProvider: ModelProvider {
    private let base: any ModelProvider
    private let recorded = Mutex<[ModelRequest]>([])

    public init(_ base: any ModelProvider) {
        self.base = base
    }

    public var info: ProviderInfo { base.info }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        recorded.withLock { $0.append(request) }
        return base.stream(request)
    }

    /// Every request so far, oldest first.
    public var requests: [ModelRequest] { recorded.withLock { $0 } }

    /// The requests for conversation replies (not compaction summaries).
    public var replyRequests: [ModelRequest] { requests.filter { $0.purpose == .reply } }
}

extension ModelRequest {
    /// All text of the request's messages, for searching.
    public var allText: String {
        messages.map { message in
            message.content.map { block -> String in
                switch block {
                case .text(let t): return t
                case .toolResult(_, let c, _): return c
                case .toolUse(_, let name, _): return name
                case .thinking(let t, _): return t
                }
            }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
