"""The organisation's policy: what IT sets, and locks, for every person on a machine."""
