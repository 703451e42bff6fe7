"""Faust's command line run on an argument list the scorer has already read.

Works around: `App.main()` takes no arguments: it runs Faust's click command line on
`sys.argv`. The `riskscorer` command reads its own arguments first (settings, rules, `classify`,
`--version`, and whether `worker` should start embedded services), then hands the rest to
Faust by setting `sys.argv`, with `riskscorer` as the program name shown in help and errors.

Still needed? `faust/app/base.py`, `App.main`: while it calls `cli(app=self)` with no argument
list, yes; if it takes one, pass `argv` to it.
"""

from __future__ import annotations

import sys

import faust

PROG = "riskscorer"


def run(app: faust.App, argv: list[str]) -> None:
    """Run Faust's command line of `app` on `argv` (the arguments after the program name)."""
    sys.argv = [PROG, *argv]
    app.main()
