"""Faust agents: one per file."""
