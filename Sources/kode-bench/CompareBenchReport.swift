import Foundation

/// Prints Kode's and LangGraph's figures side by side, the ratios (LangGraph / Kode) and the goals.
struct CompareReport {
    var turns: Int
    var kode: KodeFigures
    var langgraph: LangGraphFigures?

    func print() {
        Swift.print("")
        Swift.print("Kode: FileStore, every input and turn end synced (fdatasync) before the call returns")
        guard let lg = langgraph else {
            row("write cost per turn (\(turns) turns)", kode: ms(kode.writeSeconds * 1000 / Double(turns)), langgraph: "-", ratio: nil, goal: "")
            row("load latest state (\(kode.messagesLoaded) messages)", kode: ms(kode.loadLatestMs), langgraph: "-", ratio: nil, goal: "")
            row("fork at latest", kode: ms(kode.forkMs), langgraph: "-", ratio: nil, goal: "")
            row("bytes on disk (\(turns) turns)", kode: mib(kode.bytesOnDisk), langgraph: "-", ratio: nil, goal: "")
            printCPU()
            return
        }
        Swift.print("LangGraph \(lg.langgraphVersion), langgraph-checkpoint-sqlite \(lg.checkpointSqliteVersion): \(lg.method)")
        Swift.print("SQLite journal_mode=\(lg.journalMode), synchronous=\(lg.synchronous) (\(lg.syncsEveryCommit ? "syncs every commit" : "does NOT sync every commit"))")
        Swift.print("LangGraph wrote \(lg.turnsWritten) of \(lg.turnsRequested) turns (stopped by: \(lg.stoppedBy)); it stores the full message list in every checkpoint")
        Swift.print("")
        row("figure", kode: "Kode", langgraph: "LangGraph", ratio: nil, goal: "goal", header: true)

        let written = lg.turnsWritten
        if let partialSeconds = kode.partialWriteSeconds, let partialBytes = kode.partialBytes {
            let kodePrefix = partialSeconds * 1000 / Double(written)
            row("write cost per turn, first \(written) turns", kode: ms(kodePrefix), langgraph: ms(lg.writePerTurnMs),
                ratio: lg.writePerTurnMs / kodePrefix, goal: "")
            row("bytes on disk after \(written) turns", kode: mib(partialBytes), langgraph: mib(lg.bytesOnDisk),
                ratio: Double(lg.bytesOnDisk) / Double(max(partialBytes, 1)), goal: "smaller", met: partialBytes < lg.bytesOnDisk)
        }
        let kodePerTurn = kode.writeSeconds * 1000 / Double(turns)
        row("write cost per turn, all \(turns) turns", kode: ms(kodePerTurn),
            langgraph: written == turns ? ms(lg.writePerTurnMs) : "≥ \(ms(lg.writeLast100TurnsMs)) *", ratio: nil, goal: "")
        if written < turns {
            // Every checkpoint holds the whole conversation, so the bytes grow with the square of the turns.
            let projected = Double(lg.bytesOnDisk) * pow(Double(turns) / Double(written), 2)
            row("bytes on disk, \(turns) turns", kode: mib(kode.bytesOnDisk), langgraph: "≈ \(mib(Int(projected))) **",
                ratio: projected / Double(max(kode.bytesOnDisk, 1)), goal: "smaller", met: Double(kode.bytesOnDisk) < projected)
        } else {
            row("bytes on disk, \(turns) turns", kode: mib(kode.bytesOnDisk), langgraph: mib(lg.bytesOnDisk),
                ratio: Double(lg.bytesOnDisk) / Double(max(kode.bytesOnDisk, 1)), goal: "smaller", met: kode.bytesOnDisk < lg.bytesOnDisk)
        }
        row("load latest state (\(kode.messagesLoaded) / \(lg.fullMessagesLoaded) msgs)", kode: ms(kode.loadLatestMs), langgraph: ms(lg.fullLoadLatestMs),
            ratio: lg.fullLoadLatestMs / kode.loadLatestMs, goal: "≥ 10×", met: lg.fullLoadLatestMs >= 10 * kode.loadLatestMs)
        row("fork at latest, \(turns) turns", kode: ms(kode.forkMs), langgraph: ms(lg.fullForkMs),
            ratio: lg.fullForkMs / kode.forkMs, goal: "≥ 10×", met: lg.fullForkMs >= 10 * kode.forkMs)
        if written < turns {
            Swift.print("")
            Swift.print("LangGraph on the \(written) turns it wrote: load latest \(ms(lg.loadLatestMs)) (\(lg.messagesLoaded) messages), fork at the middle turn \(ms(lg.forkMs))")
            Swift.print("*  mean of LangGraph's last 100 turns written; later turns cost more (each checkpoint re-stores every message)")
            Swift.print("** projected from the measured bytes after \(written) turns, growing with the square of the turns")
            Swift.print("LangGraph's load and fork at \(turns) turns are measured on a database whose newest checkpoint holds all \(2 * turns) messages")
        }
        printCPU()
    }

    private func printCPU() {
        Swift.print("Kode process CPU time (user + system), medians: load \(ms(kode.loadCpuMs)), fork \(ms(kode.forkCpuMs))")
    }

    private func row(_ name: String, kode: String, langgraph: String, ratio: Double?, goal: String, met: Bool? = nil, header: Bool = false) {
        let ratioText = header ? "LG / Kode" : ratio.map { String(format: "%.1f×", $0) } ?? ""
        let verdict = header ? "" : met.map { $0 ? "met" : "NOT met" } ?? ""
        let line = [
            name.padding(toLength: 46, withPad: " ", startingAt: 0),
            kode.padding(toLength: 14, withPad: " ", startingAt: 0),
            langgraph.padding(toLength: 18, withPad: " ", startingAt: 0),
            ratioText.padding(toLength: 11, withPad: " ", startingAt: 0),
            goal.padding(toLength: 8, withPad: " ", startingAt: 0),
            verdict,
        ].joined(separator: " ")
        Swift.print(line)
    }

    private func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
    private func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
