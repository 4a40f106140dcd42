"""Fault-injection suite for a served portal (``make faults``); see faults/README.md."""
