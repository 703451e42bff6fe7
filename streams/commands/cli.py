"""The `riskscorer` command: Faust's own command line plus the project's commands.

Settings and rules are checked before anything starts; a bad one ends the
program with a message naming it. `riskscorer worker` with no broker or Redis
configured starts the embedded ones and stops them on exit (not for `--help`: help
starts nothing). `riskscorer --version` is the project's version. `riskscorer classify`
needs no broker and skips Faust altogether: its start-up is most of a small run.
"""

from __future__ import annotations

import asyncio
import atexit
import sys
from importlib import metadata

from scoring.rules import Rules, RulesError
from streams.batch.rules_file import load_model, load_rules
from streams.worker.settings import Settings, SettingsError, load


def _fail(message: str) -> None:
    print(f"riskscorer: {message}", file=sys.stderr)  # noqa: T201
    sys.exit(2)


def _prepare_worker(settings: Settings) -> Settings:
    """Start what is not configured, and create the topics."""
    from streams.commands import admin, embedded

    need_broker, need_redis = settings.broker_url is None, settings.redis_url is None
    if need_broker or need_redis:
        started = embedded.start(need_broker, need_redis)
        atexit.register(started.stop)
        settings = settings.with_services(
            settings.broker_url or f"127.0.0.1:{started.broker.port}",  # type: ignore[union-attr]
            settings.redis_url or f"redis://127.0.0.1:{started.redis.port}",  # type: ignore[union-attr]
        )
        print(  # noqa: T201
            f"riskscorer: embedded services: broker={settings.broker_url} "
            f"redis={settings.redis_url}",
            file=sys.stderr,
        )
    asyncio.run(admin.ensure_topics(settings))
    return settings


# Faust's global options that take a value (given before the command).
_VALUED = {"-L", "--loop", "-l", "--loglevel", "-f", "--logfile", "-D", "--datadir", "-W", "--workdir",
           "-A", "--app", "--console-port", "--blocking-timeout"}


def command_of(argv: list[str]) -> str | None:
    """The command word of a command line, after any global options."""
    for i, arg in enumerate(argv):
        if not arg.startswith("-") and (i == 0 or argv[i - 1] not in _VALUED):
            return arg
    return None


def version() -> str:
    """The installed project's version (Faust's own `--version` would print Faust's)."""
    try:
        return metadata.version("riskscorer")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _global_flag(argv: list[str], flag: str) -> bool:
    """Whether `flag` is given before the command word (a command may have an option of that name)."""
    command = command_of(argv)
    before = argv if command is None else argv[: argv.index(command)]
    return flag in before


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if _global_flag(argv, "--version"):
        print(f"riskscorer {version()}")  # noqa: T201
        return
    try:
        settings = load()
        rules = load_rules(settings.rules_file, load_model(settings.text_model_file))
    except (SettingsError, RulesError) as exc:
        _fail(str(exc))
        return
    command = command_of(argv)
    if command == "classify":
        from streams.commands import classify_pool

        sys.exit(classify_pool.main(argv[argv.index(command) + 1 :], rules.text_model, settings.text_model_file))
    _faust_main(settings, rules, argv, command)


def _faust_main(settings: Settings, rules: Rules, argv: list[str], command: str | None) -> None:
    from streams.commands import admin, embedded
    from streams.commands import subcommands as commands
    from streams.faust_fixes import command_line
    from streams.worker import app, security

    if command == "worker" and "--help" not in argv:  # help starts nothing
        try:
            settings = _prepare_worker(settings)
        except (embedded.EmbeddedError, admin.TopicError, security.BrokerAuthError) as exc:
            _fail(str(exc))
    scorer = app.create(settings, rules)
    commands.register(scorer)
    command_line.run(scorer.app, argv)
