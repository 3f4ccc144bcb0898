"""The sync engine: chunking, stores, journal, merge, planner and executor."""
