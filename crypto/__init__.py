"""Coffre's cryptography: keys, key slots, envelopes, packs. Imports nothing from the app."""
