import Dispatch
import Foundation

/// Turns SIGINT (Ctrl+C) into a call to `handler` instead of killing the process, so a headless
/// run can interrupt its turn and leave every tool call answered.
struct InterruptSignal {
    private let source: any DispatchSourceSignal

    static func install(_ handler: @escaping @Sendable () -> Void) -> InterruptSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        return InterruptSignal(source: source)
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
