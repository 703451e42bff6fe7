"""Everything around the pure core (`scoring/`), by role, each package importing only those
listed before it (`tests/unit/test_layers.py` keeps it so):

- `batch`: one batch of raw events in, outputs and new states out (decoding, the processor,
  the scoring processes, the state codec, the rules file); no Faust, no Redis;
- `adapters`: the Redis indexes and stores, each index with its in-memory twin;
- `worker`: the Faust worker (app, agents, topics, table, web pages, metrics, settings), with
  `faust_fixes`: every reach into Faust's or aiokafka's internals, each saying why;
- `commands`: the `riskscorer` command line, the demo, the backtest, embedded services, topics;
- `devtools`: the simulator and the state dictionary's training (development tools).
"""
