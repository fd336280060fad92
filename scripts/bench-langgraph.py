#!/usr/bin/env python3
"""LangGraph's SQLite checkpointer on the conversation that `kode-bench compare` runs through Kode.

Creates (or reuses) a virtual environment under .build/bench-venv, installs `langgraph` and
`langgraph-checkpoint-sqlite` from PyPI into it, re-runs itself inside it, and prints one JSON
object of figures on stdout (progress goes to stderr).

What is measured, with a real `StateGraph` (state = `MessagesState`, whose `messages` channel
uses `add_messages`) compiled with a file-backed `SqliteSaver` in a temporary directory, at the
saver's defaults (WAL journal; the `synchronous` pragma in force is reported):

* write cost per turn: one `graph.invoke` per turn with the user's message; the single node
  answers with the assistant's message. The saver stores the full message list in every
  checkpoint, so the cost of a turn grows with the conversation. Writing stops at `--turns` or
  when `--max-write-seconds` or `--max-db-bytes` is reached; `turns_written` says where.
* bytes on disk: the database plus its WAL and shared-memory files after the writes.
* load latest state: `graph.get_state` through a new connection and saver (median of runs).
* fork: `graph.update_state` on the checkpoint that ends the middle turn written, which writes a
  new branch whose parent is that checkpoint (median of runs).

Load and fork are measured twice: on the history actually written, and on a second database
whose thread holds the whole `--turns` conversation in its newest checkpoint (written in one
`update_state`), so that they are also known at the full size when writing stopped early.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import venv

PHRASE = "The build finished and the agent read the log, found the failing test and proposed a fix. "


def turn_text(role: str, i: int) -> str:
    """The text of turn i for `role` ("user" or "assistant"); kode-bench's CompareBench makes the same."""
    length = (200 + 40 * (i % 7)) if role == "user" else (300 + 50 * (i % 7))
    head = f"{role} turn {i}: "
    body = head
    while len(body) < length:
        body += PHRASE
    return body[:length]


def in_venv_or_reexec(args: list[str]) -> None:
    """Installs the packages into the bench venv and re-runs this script with its interpreter."""
    if os.environ.get("KODE_BENCH_IN_VENV") == "1":
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    venv_dir = os.path.join(root, ".build", "bench-venv")
    python = os.path.join(venv_dir, "bin", "python")
    if not os.path.exists(python):
        print(f"creating {venv_dir}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(venv_dir)
    check = subprocess.run([python, "-c", "import langgraph.checkpoint.sqlite, langgraph.graph"], capture_output=True)
    if check.returncode != 0:
        print("installing langgraph and langgraph-checkpoint-sqlite from PyPI", file=sys.stderr)
        pip = subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "langgraph", "langgraph-checkpoint-sqlite"],
            stdout=sys.stderr, stderr=sys.stderr,
        )
        if pip.returncode != 0:
            print(json.dumps({"error": f"pip install langgraph langgraph-checkpoint-sqlite failed (exit {pip.returncode}); is PyPI reachable?"}))
            sys.exit(3)
    env = dict(os.environ, KODE_BENCH_IN_VENV="1")
    sys.stdout.flush()
    os.execve(python, [python, os.path.abspath(__file__)] + args, env)


def bytes_on_disk(db_path: str) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = db_path + suffix
        if os.path.exists(path):
            total += os.stat(path).st_blocks * 512
    return total


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--max-write-seconds", type=float, default=180.0)
    parser.add_argument("--max-db-bytes", type=int, default=8 << 30)
    parser.add_argument("--runs", type=int, default=5, help="runs of each load and fork measurement")
    opts = parser.parse_args()
    in_venv_or_reexec(sys.argv[1:])

    import sqlite3
    from importlib.metadata import version

    from langchain_core.messages import AIMessage, HumanMessage
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.graph import END, START, MessagesState, StateGraph

    def build(saver):
        def model(state: MessagesState):
            # The state holds 2i+1 messages when turn i's model step runs.
            i = len(state["messages"]) // 2
            return {"messages": [AIMessage(content=turn_text("assistant", i), id=f"a{i}")]}

        graph = StateGraph(MessagesState)
        graph.add_node("model", model)
        graph.add_edge(START, "model")
        graph.add_edge("model", END)
        return graph.compile(checkpointer=saver)

    def open_saver(db_path: str):
        conn = sqlite3.connect(db_path, check_same_thread=False)
        saver = SqliteSaver(conn)
        saver.setup()
        return conn, saver

    def load_and_fork(db_path: str, fork_turn_checkpoint) -> dict:
        loads, forks = [], []
        messages = 0
        for _ in range(opts.runs):
            # Timed: opening the database and the saver, and get_state; compiling the graph is not.
            start = time.perf_counter()
            conn, saver = open_saver(db_path)
            opened = time.perf_counter() - start
            graph = build(saver)
            start = time.perf_counter()
            state = graph.get_state({"configurable": {"thread_id": "bench"}})
            loads.append(opened + time.perf_counter() - start)
            messages = len(state.values["messages"])
            conn.close()
        for _ in range(opts.runs):
            conn, saver = open_saver(db_path)
            graph = build(saver)
            start = time.perf_counter()
            graph.update_state(fork_turn_checkpoint, {"messages": [HumanMessage(content="a branch", id="branch")]})
            forks.append(time.perf_counter() - start)
            conn.close()
        return {"load_latest_ms": median_ms(loads), "fork_ms": median_ms(forks), "messages_loaded": messages}

    tmp = tempfile.mkdtemp(prefix="kode-bench-langgraph-")
    db_path = os.path.join(tmp, "checkpoints.sqlite")
    conn, saver = open_saver(db_path)
    synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
    journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    graph = build(saver)
    config = {"configurable": {"thread_id": "bench"}}

    written = 0
    write_seconds = 0.0
    last_window = []  # seconds of the most recent turns
    stopped = "turns"
    fork_config = None
    started = time.perf_counter()
    for i in range(opts.turns):
        t0 = time.perf_counter()
        graph.invoke({"messages": [HumanMessage(content=turn_text("user", i), id=f"u{i}")]}, config)
        dt = time.perf_counter() - t0
        write_seconds += dt
        last_window.append(dt)
        if len(last_window) > 100:
            last_window.pop(0)
        written = i + 1
        if written % 500 == 0:
            print(f"langgraph: {written} turns, {write_seconds:.1f} s, {bytes_on_disk(db_path) >> 20} MiB", file=sys.stderr)
        if time.perf_counter() - started > opts.max_write_seconds:
            stopped = "max-write-seconds"
            break
        if bytes_on_disk(db_path) > opts.max_db_bytes:
            stopped = "max-db-bytes"
            break
    conn.close()
    written_bytes = bytes_on_disk(db_path)

    # Fork point: the checkpoint that ends the middle turn written. Each invoke writes three
    # checkpoints (input, then steps 0 and 1 of the loop) and steps count on across invokes, so
    # turn t ends at step 3t+1. Looked up by SQL so no checkpoint has to be deserialized.
    middle = max(written // 2 - 1, 0)
    conn = sqlite3.connect(db_path)
    row = conn.execute(
        "SELECT checkpoint_id FROM checkpoints WHERE thread_id = 'bench' AND json_extract(metadata, '$.step') = ?",
        (3 * middle + 1,),
    ).fetchone()
    conn.close()
    if row:
        fork_config = {"configurable": {"thread_id": "bench", "checkpoint_ns": "", "checkpoint_id": row[0]}}
    fork_config = fork_config or config
    on_written = load_and_fork(db_path, fork_config)

    # The whole conversation in one checkpoint, to measure load and fork at the full size.
    full_db = os.path.join(tmp, "full.sqlite")
    conn, saver = open_saver(full_db)
    graph = build(saver)
    everything = []
    for i in range(opts.turns):
        everything.append(HumanMessage(content=turn_text("user", i), id=f"u{i}"))
        everything.append(AIMessage(content=turn_text("assistant", i), id=f"a{i}"))
    full_config = graph.update_state(config, {"messages": everything}, as_node="model")
    conn.close()
    on_full = load_and_fork(full_db, full_config)

    result = {
        "langgraph_version": version("langgraph"),
        "checkpoint_sqlite_version": version("langgraph-checkpoint-sqlite"),
        "journal_mode": journal,
        "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(synchronous, str(synchronous)),
        "syncs_every_commit": synchronous >= 2,
        "method": "StateGraph(MessagesState) + SqliteSaver, one invoke per turn (default durability)",
        "turns_requested": opts.turns,
        "turns_written": written,
        "stopped_by": stopped,
        "write_total_s": write_seconds,
        "write_per_turn_ms": write_seconds / max(written, 1) * 1000.0,
        "write_last_100_turns_ms": statistics.mean(last_window) * 1000.0 if last_window else 0.0,
        "bytes_on_disk": written_bytes,
        "load_latest_ms": on_written["load_latest_ms"],
        "fork_ms": on_written["fork_ms"],
        "messages_loaded": on_written["messages_loaded"],
        "full_load_latest_ms": on_full["load_latest_ms"],
        "full_fork_ms": on_full["fork_ms"],
        "full_messages_loaded": on_full["messages_loaded"],
        "full_latest_checkpoint_bytes": bytes_on_disk(full_db),
        "runs": opts.runs,
        "db_dir": tmp,
    }
    print(json.dumps(result))
    if os.environ.get("KODE_BENCH_KEEP") != "1":
        for name in os.listdir(tmp):
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
