/// Counts tool calls running at once and remembers the most seen together.
///
/// With `gather` set (the scripted run, whose batch has that many calls), each call waits in
/// `enter()` until `gather` calls are in flight together. That only happens when the kernel
/// really runs them concurrently, so the peak the example prints proves it rather than
/// depending on how fast the calls happen to be. A kernel running them one at a time would
/// never gather them; after `patience` the waiting calls go on, and the peak printed is 1.
actor InFlight {
    private let gather: Int?
    private let patience: Duration
    private var running = 0
    private(set) var peak = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(gather: Int?, patience: Duration = .seconds(10)) {
        self.gather = gather
        self.patience = patience
    }

    func enter() async {
        running += 1
        peak = max(peak, running)
        guard let gather else { return }
        if running >= gather {
            release()
            return
        }
        let patience = self.patience
        Task { [weak self] in
            try? await Task.sleep(for: patience)
            await self?.release()
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        running -= 1
    }

    private func release() {
        let released = waiting
        waiting.removeAll()
        for continuation in released { continuation.resume() }
    }
}
