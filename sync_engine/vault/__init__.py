"""The vault's records: journal replication and its codec, the local state
database, creating and unlocking a vault on a store."""
