print("kode-bench")
