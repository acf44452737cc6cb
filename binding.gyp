{
  "targets": [
    {
      "target_name": "skiff_memory",
      "sources": ["native/memory.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
