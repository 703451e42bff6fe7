"""One batch of raw input events in; dead letters, escalations, subject events and new states out.

Independent of Faust and Redis: the worker, the backtest, the benchmarks and tests share it.
"""
