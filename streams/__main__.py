"""`python -m streams` is the `riskscorer` command."""

from streams.commands.cli import main

if __name__ == "__main__":  # not when a spawned scoring process imports it as __mp_main__
    main()
