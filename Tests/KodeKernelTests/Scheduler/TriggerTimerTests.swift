import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Scheduler: the trigger timer")
struct TriggerTimerTests {
    @Test func itFiresEachAgentWhenDueAndForgetsWhatIsRemoved() async throws {
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let clock = ManualClock(start)
        let (fired, sink) = AsyncStream.makeStream(of: AgentID.self)
        // Each fire reports the agent and says it is due again an hour later.
        let timer = TriggerTimer(clock: clock) { id in
            sink.yield(id)
            return clock.now().addingTimeInterval(3600)
        }
        await timer.update("agt_a", next: start.addingTimeInterval(60))
        await timer.update("agt_b", next: start.addingTimeInterval(120))
        await timer.update("agt_c", next: start.addingTimeInterval(90))
        await timer.update("agt_c", next: nil)
        var order = fired.makeAsyncIterator()

        clock.advance(by: 60)
        #expect(await order.next() == "agt_a")
        // b is next; c was forgotten, so passing its time fires nothing before b.
        clock.advance(by: 60)
        #expect(await order.next() == "agt_b")
        let pending = await timer.pending()
        #expect(pending == ["agt_a": start.addingTimeInterval(3660), "agt_b": start.addingTimeInterval(3720)])

        // Both due at once: fired in id order, once each.
        clock.advance(by: 7200)
        #expect(await order.next() == "agt_a")
        #expect(await order.next() == "agt_b")
        await timer.stop()
        sink.finish()
        #expect(await order.next() == nil)
    }
}
