/// What `--scripted` plays: plan with todos, read all three messages in one batch (three
/// read-only calls, run concurrently), tick the todos off, answer with a digest.
let agentInboxScript = """
{"chunk_size": 8, "turns": [
  {"text": "Three messages are waiting. First a plan.",
   "tool_calls": [{"name": "todo_write", "input": {"todos": [
     {"id": "read", "title": "Read the three messages", "status": "in_progress"},
     {"id": "sort", "title": "Sort them by urgency", "status": "pending"},
     {"id": "digest", "title": "Write the digest", "status": "pending"}]}}]},
  {"text": "Reading all three at once.",
   "tool_calls": [
     {"name": "inbox_read", "input": {"id": "1"}},
     {"name": "inbox_read", "input": {"id": "2"}},
     {"name": "inbox_read", "input": {"id": "3"}}]},
  {"text": "The database outage comes first, then the invoice, then lunch.",
   "tool_calls": [{"name": "todo_write", "input": {"todos": [
     {"id": "read", "title": "Read the three messages", "status": "completed"},
     {"id": "sort", "title": "Sort them by urgency", "status": "completed"},
     {"id": "digest", "title": "Write the digest", "status": "in_progress"}]}}]},
  {"tool_calls": [{"name": "todo_write", "input": {"todos": [
     {"id": "read", "title": "Read the three messages", "status": "completed"},
     {"id": "sort", "title": "Sort them by urgency", "status": "completed"},
     {"id": "digest", "title": "Write the digest", "status": "completed"}]}}]},
  {"text": "Digest: 1) ops: staging database down since 09:10 (urgent). 2) billing: invoice 4411 due Tuesday. 3) alice: lunch on Friday."}
]}
"""

/// How many calls the script's read batch has: the scripted run waits for all of them to be in
/// flight together (see ``InFlight``).
let scriptedReadBatch = 3
