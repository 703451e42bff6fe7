"""Stream layer: the Faust app, topics, table, agent, commands. Thin: decode, score, send, count."""
