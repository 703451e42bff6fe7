"""Development tools, not used by a worker: the traffic simulator and the state dictionary's
training (`python -m streams.devtools train-state-dict`)."""
