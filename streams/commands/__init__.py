"""The `riskscorer` command line: the worker's start, the demo, the backtest, the text classifier,
topic creation and the embedded broker and Redis."""
