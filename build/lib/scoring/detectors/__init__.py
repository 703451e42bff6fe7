"""Detectors: functions of (state, event, rule) that update the state and return signals."""
