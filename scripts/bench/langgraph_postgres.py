#!/usr/bin/env python3
"""LangGraph's PostgreSQL checkpointer on the same 1,000-step tool loop as `kode-bench postgres`.

Each step adds an assistant message with a tool call and the tool's result to the conversation
and saves a checkpoint, as a LangGraph agent with a tool node does (the `messages` channel is
written every step). Then: load the latest checkpoint, fork (a new checkpoint in a new thread
from the latest state, as update_state on a past checkpoint does), and the bytes the tables take.
Prints one JSON object. Needs `pip install langgraph-checkpoint-postgres "psycopg[binary]"`.

Usage: langgraph_postgres.py POSTGRES_URL [STEPS]
"""
import json
import statistics
import sys
import time
import uuid

import psycopg
from langgraph.checkpoint.base import create_checkpoint, empty_checkpoint
from langgraph.checkpoint.postgres import PostgresSaver


def step_messages(step):
    text = "kode bench text " * 10
    return [
        {"type": "ai", "id": f"msg_a{step}", "content": "",
         "tool_calls": [{"id": f"call_{step}", "name": "noop", "args": {"n": step}}]},
        {"type": "tool", "id": f"msg_t{step}", "tool_call_id": f"call_{step}", "content": text},
    ]


def main():
    server, steps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    database = "langgraph_bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database}")
    url = server.rsplit("/", 1)[0] + "/" + database
    try:
        result = run(url, steps)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {database} WITH (FORCE)")
    print(json.dumps(result))


def run(url, steps):
    with PostgresSaver.from_conn_string(url) as saver:
        saver.setup()
        config = {"configurable": {"thread_id": "loop", "checkpoint_ns": ""}}
        checkpoint = empty_checkpoint()
        messages = [{"type": "human", "id": "msg_h", "content": "go"}]
        writes = []
        for step in range(steps):
            messages = messages + step_messages(step)
            checkpoint = create_checkpoint(checkpoint, None, step)
            checkpoint["channel_values"] = {"messages": messages}
            checkpoint["channel_versions"] = {"messages": step + 1}
            start = time.perf_counter()
            config = saver.put(config, checkpoint, {"source": "loop", "step": step}, {"messages": step + 1})
            writes.append(time.perf_counter() - start)
        latest = {"configurable": {"thread_id": "loop", "checkpoint_ns": ""}}
        # As on Kode's side: 3 unmeasured runs, then the median of 31.
        loads = []
        for _ in range(34):
            start = time.perf_counter()
            found = saver.get_tuple(latest)
            loads.append(time.perf_counter() - start)
        loads = loads[3:]
        assert len(found.checkpoint["channel_values"]["messages"]) == 1 + 2 * steps
        forks = []
        for i in range(34):
            start = time.perf_counter()
            state = saver.get_tuple(latest)
            fork = create_checkpoint(state.checkpoint, None, steps + i)
            saver.put({"configurable": {"thread_id": f"fork{i}", "checkpoint_ns": ""}}, fork,
                      {"source": "fork", "step": steps}, {"messages": steps + 1})
            forks.append(time.perf_counter() - start)
        forks = forks[3:]
        with saver.conn.cursor() as cursor:
            cursor.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                           " WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'checkpoint%'")
            size = cursor.fetchone()
            size = list(size.values())[0] if isinstance(size, dict) else size[0]
    return {
        "steps": steps,
        "write_ms": statistics.median(writes) * 1e3,
        "load_ms": statistics.median(loads) * 1e3,
        "fork_ms": statistics.median(forks) * 1e3,
        "bytes": int(size),
    }


if __name__ == "__main__":
    main()
