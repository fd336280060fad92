import ArgumentParser
import Foundation
import KodeKernel

/// Kode's file store side by side with LangGraph's SQLite checkpointer on the same conversation:
/// write cost per turn, load of the latest state, fork, bytes on disk.
///
/// The LangGraph side is `scripts/bench-langgraph.py`, which installs LangGraph from PyPI into
/// `.build/bench-venv` and prints its figures as JSON. It runs first, so that Kode's figures can
/// also be taken at the number of turns LangGraph managed to write within its time budget.
struct CompareBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Kode's FileStore vs LangGraph's SqliteSaver on one long conversation."
    )

    @Option(help: "Turns in the conversation (one user and one assistant message each).")
    var turns = 10_000

    @Option(help: "Opens and forks measured; the median is reported.")
    var runs = 5

    @Option(help: "Seconds LangGraph may spend writing before it stops (its cost per turn grows with the conversation).")
    var langgraphSeconds = 180

    @Option(help: "The LangGraph benchmark script.")
    var script = "scripts/bench-langgraph.py"

    @Flag(help: "Measure Kode only.")
    var skipLanggraph = false

    func validate() throws {
        guard turns > 0 else { throw ValidationError("--turns must be at least 1") }
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        print("store comparison: \(turns) turns, medians of \(runs) runs")
        var langgraph: LangGraphFigures?
        if !skipLanggraph {
            do {
                langgraph = try LangGraphRunner(script: script, turns: turns, runs: runs, maxWriteSeconds: langgraphSeconds).run()
            } catch {
                print("LangGraph side not measured: \(error)")
            }
        }
        let kode = try await KodeConversationBench(turns: turns, runs: runs, alsoAt: langgraph?.turnsWritten).run()
        CompareReport(turns: turns, kode: kode, langgraph: langgraph).print()
    }
}

/// The text of each turn. `scripts/bench-langgraph.py` has the same generator (`turn_text`), so
/// both stores hold byte-identical messages.
enum ConversationText {
    static let phrase = "The build finished and the agent read the log, found the failing test and proposed a fix. "

    /// Turn `i` of the user (200–440 characters) or of the assistant (300–600 characters).
    static func turn(_ role: String, _ i: Int) -> String {
        let length = role == "user" ? 200 + 40 * (i % 7) : 300 + 50 * (i % 7)
        var body = "\(role) turn \(i): "
        while body.count < length { body += phrase }
        return String(body.prefix(length))
    }
}
