#!/usr/bin/env python3
"""LangGraph's PostgreSQL checkpointer on the same 1,000-step tool loop as `kode-bench postgres`.

Two runs, each in a database of its own on the given server:

- "graph": the loop as a LangGraph agent runs it. A `StateGraph(MessagesState)` with a model
  node and a `ToolNode`, compiled with `PostgresSaver` and invoked once with
  `durability="sync"` (each checkpoint committed before the next step, as Kode's steps are
  durable). The model node answers step n with a tool call `{"n": n}`, then "done"; the tool
  returns the same 160 characters as Kode's. The `messages` channel holds LangChain message
  objects, as `add_messages` makes them, and that is what loading the latest checkpoint
  rebuilds. This is the comparison.
- "dicts": the same conversation saved with `put` directly, one checkpoint per step, its
  messages plain dicts. No LangGraph agent stores that (the reducer turns dicts into message
  objects), so it is a lower bound on what the checkpointer costs, reported beside the other.

For both: write per step, load the latest checkpoint (`get_tuple`), fork (read the latest
state and save it as the first checkpoint of a new thread, what `update_state` on a past
checkpoint amounts to), and the bytes the checkpoint tables take. Loads and forks are medians
of 31 after 3 unmeasured runs. Prints one JSON object.

Needs `pip install langgraph langgraph-checkpoint-postgres "psycopg[binary]"`.

Usage: langgraph_postgres.py POSTGRES_URL [STEPS]
"""
import json
import statistics
import sys
import time
import uuid

import psycopg
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.base import create_checkpoint, empty_checkpoint
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

TEXT = "kode bench text " * 10
WARM_UP, MEASURED = 3, 31


@tool
def noop(n: int) -> str:
    """Answers with a fixed text."""
    return TEXT


def main():
    server, steps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    result = {"steps": steps}
    for name, run in (("graph", run_graph), ("dicts", run_dicts)):
        database = "langgraph_bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {database}")
        try:
            result[name] = run(server.rsplit("/", 1)[0] + "/" + database, steps)
        finally:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE {database} WITH (FORCE)")
    print(json.dumps(result))


def run_graph(url, steps):
    with PostgresSaver.from_conn_string(url) as saver:
        saver.setup()
        graph = loop_graph(steps).compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "loop"}, "recursion_limit": 2 * steps + 10}
        start = time.perf_counter()
        graph.invoke({"messages": [HumanMessage(id="msg_h", content="go")]}, config, durability="sync")
        write = (time.perf_counter() - start) / steps
        figures = read_and_fork(saver, steps, expected_messages=2 + 2 * steps)
        return {"write_ms": write * 1e3, **figures}


def loop_graph(steps):
    def model(state):
        step = sum(1 for message in state["messages"] if isinstance(message, AIMessage))
        if step < steps:
            call = {"id": f"call_{step}", "name": "noop", "args": {"n": step}}
            return {"messages": [AIMessage(id=f"msg_a{step}", content="", tool_calls=[call])]}
        return {"messages": [AIMessage(id="msg_done", content="done")]}

    graph = StateGraph(MessagesState)
    graph.add_node("model", model)
    graph.add_node("tools", ToolNode([noop]))
    graph.add_edge(START, "model")
    graph.add_conditional_edges("model", tools_condition)
    graph.add_edge("tools", "model")
    return graph


def run_dicts(url, steps):
    with PostgresSaver.from_conn_string(url) as saver:
        saver.setup()
        config = {"configurable": {"thread_id": "loop", "checkpoint_ns": ""}}
        checkpoint = empty_checkpoint()
        messages = [{"type": "human", "id": "msg_h", "content": "go"}]
        writes = []
        for step in range(steps):
            messages = messages + [
                {"type": "ai", "id": f"msg_a{step}", "content": "",
                 "tool_calls": [{"id": f"call_{step}", "name": "noop", "args": {"n": step}}]},
                {"type": "tool", "id": f"msg_t{step}", "tool_call_id": f"call_{step}", "content": TEXT},
            ]
            checkpoint = create_checkpoint(checkpoint, None, step)
            checkpoint["channel_values"] = {"messages": messages}
            checkpoint["channel_versions"] = {"messages": step + 1}
            start = time.perf_counter()
            config = saver.put(config, checkpoint, {"source": "loop", "step": step}, {"messages": step + 1})
            writes.append(time.perf_counter() - start)
        figures = read_and_fork(saver, steps, expected_messages=1 + 2 * steps)
        return {"write_ms": statistics.median(writes) * 1e3, **figures}


def read_and_fork(saver, steps, expected_messages):
    latest = {"configurable": {"thread_id": "loop", "checkpoint_ns": ""}}
    loads = []
    for _ in range(WARM_UP + MEASURED):
        start = time.perf_counter()
        found = saver.get_tuple(latest)
        loads.append(time.perf_counter() - start)
    count = len(found.checkpoint["channel_values"]["messages"])
    assert count == expected_messages, f"the latest checkpoint holds {count} messages, not {expected_messages}"
    forks = []
    for i in range(WARM_UP + MEASURED):
        start = time.perf_counter()
        state = saver.get_tuple(latest)
        fork = create_checkpoint(state.checkpoint, None, steps + i)
        versions = state.checkpoint["channel_versions"]
        saver.put({"configurable": {"thread_id": f"fork{i}", "checkpoint_ns": ""}}, fork,
                  {"source": "fork", "step": steps}, versions)
        forks.append(time.perf_counter() - start)
    forked = saver.get_tuple({"configurable": {"thread_id": f"fork{WARM_UP + MEASURED - 1}", "checkpoint_ns": ""}})
    assert len(forked.checkpoint["channel_values"]["messages"]) == count, "a fork does not hold the conversation"
    with saver.conn.cursor() as cursor:
        cursor.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'checkpoint%'")
        size = cursor.fetchone()
        size = list(size.values())[0] if isinstance(size, dict) else size[0]
    return {
        "load_ms": statistics.median(loads[WARM_UP:]) * 1e3,
        "fork_ms": statistics.median(forks[WARM_UP:]) * 1e3,
        "bytes": int(size),
        "messages": count,
    }


if __name__ == "__main__":
    main()
