/// What `--scripted` plays: one batch with a call for every way a call can be decided, then a
/// second listing that the "always" answer to the first lets through without asking.
let approvalScript = """
{"chunk_size": 8, "turns": [
  {"text": "Let me try a few things.",
   "tool_calls": [
     {"name": "bash_run", "input": {"cmd": "echo hello from the approval example"}},
     {"name": "bash_run", "input": {"cmd": "rm -rf build"}},
     {"name": "bash_run", "input": {"cmd": "curl https://example.com"}},
     {"name": "bash_run", "input": {"cmd": "date"}},
     {"name": "fs_write", "input": {"path": "notes/plan.md", "content": "1. ask before writing\\n"}},
     {"name": "fs_write", "input": {"path": ".env", "content": "TOKEN=not-really\\n"}},
     {"name": "fs_read", "input": {"path": "secrets/token.txt"}},
     {"name": "bash_run", "input": {"cmd": "ls -1 notes"}}]},
  {"text": "Listing once more.",
   "tool_calls": [{"name": "bash_run", "input": {"cmd": "ls notes"}}]},
  {"text": "Done: two commands ran, the hook answered date and refused curl, the policy refused rm, and only notes/ was written."}
]}
"""
