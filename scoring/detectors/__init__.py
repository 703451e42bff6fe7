"""Detectors, one module each: a module declares `DETECTORS` (`scoring.detector`) and is found by
`scoring.registry`. Its handlers are functions of (state, event, rule, at) that update the state
and return signals, or the subject events the event tells other accounts."""
