"""The deterministic multi-device simulator (DESIGN.md section 7); see simulator.py."""
