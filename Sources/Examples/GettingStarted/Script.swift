/// The canned replies `--scripted` plays, one per turn: the first run gets the first, a resumed
/// agent the next (the scripted model answers turn k of the conversation, so resuming continues it).
let gettingStartedScript = """
{"chunk_size": 6, "turns": [
  {"text": "Hello! I am an agent running on Kode. Everything we say is kept in a log in the file store, so run me again and I will carry on from here."},
  {"text": "Welcome back. I was resumed from the store with our earlier exchange in my context, and this is my second reply."},
  {"text": "Still here: this is my third reply. Delete the store directory to start over."}
]}
"""
