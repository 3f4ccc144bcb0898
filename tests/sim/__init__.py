"""The deterministic multi-device simulator (docs/ARCHITECTURE.md section 6); see simulator.py."""
