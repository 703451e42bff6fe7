"""The Faust worker: the app, its agents, topics, state table, web pages, metrics and settings."""
