/// The replies `--scripted` plays, one per turn of a conversation (a resumed agent continues
/// with the next one).
let sseServerScript = """
{"chunk_size": 5, "turns": [
  {"text": "Hello! This reply reaches you as Server-Sent Events, one per chunk, each with its bookmark as the id."},
  {"text": "Second reply: reconnect with since or Last-Event-ID and you get only what you have not seen."},
  {"text": "Third reply, from an agent the server resumed from its store."},
  {"text": "Fourth reply. The script ends here."}
]}
"""
