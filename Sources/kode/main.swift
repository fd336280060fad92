// Placeholder entry point replaced by the CLI in the kernel issue.
print("kode")
