"""The Redis indexes and stores the worker shares with every other worker, each index with an
in-memory twin for the backtest."""
