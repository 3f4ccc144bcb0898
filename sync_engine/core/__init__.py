"""The pure core: every sync decision, with no I/O, no clock and no randomness.

model (the data), merge (all versions -> one tree), planner and actions (three
trees -> actions), names (which names a disk can hold), schedule (the live
service's state machine). tests/test_layers.py keeps this package free of I/O.
"""
