"""The store over years: garbage collection, check and repair, moving a vault.

Shells over the engine; their decisions live in the pure core (retention,
gc_rules, vault_settings)."""
