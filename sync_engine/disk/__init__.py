"""The sync folder: every disk operation, the scan, the watcher, ignore rules,
the local quarantine and the errors they raise."""
