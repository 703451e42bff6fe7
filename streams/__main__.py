"""`python -m streams` is the `riskscorer` command."""

from streams.cli import main

main()
