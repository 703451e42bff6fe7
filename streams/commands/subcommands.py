"""The project's commands on the Faust command line: simulate, demo, backtest, train-text, rules, topics
(`classify` runs without Faust: `streams.commands.classify_pool`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from faust.cli import argument, option

from scoring.rules import RulesError
from streams.batch.recorded import RecordingError, read_jsonl
from streams.commands import admin, producer
from streams.commands import demo as demo_runner
from streams.devtools.simulator import SimConfig, generate, write_jsonl, write_truth
from streams.worker.app import Scorer
from streams.worker.settings import Settings


def register(scorer: Scorer) -> None:
    """Add the project's commands to the scorer's Faust app."""
    for add in COMMANDS:
        add(scorer)


def _simulate(scorer: Scorer) -> None:
    settings = scorer.settings

    @scorer.app.command(
        option("--accounts", type=int, default=400, show_default=True, help="accounts to simulate"),
        option("--days", type=float, default=7.0, show_default=True, help="simulated period"),
        option("--seed", type=int, default=1, show_default=True, help="random seed"),
        option("--bad-share", type=float, default=0.15, show_default=True, help="bad actors"),
        option("--out", type=click_path(), default=None, help="write events to this JSONL file"),
        option("--truth", type=click_path(), default=None, help="write ground truth JSON here"),
    )
    async def simulate(
        self: Any, accounts: int, days: float, seed: int, bad_share: float,
        out: str | None, truth: str | None,
    ) -> None:
        """Generate marketplace traffic: to the broker, or to a JSONL file with --out."""
        if not out:
            _need_broker(settings)
        sim = generate(SimConfig(accounts=accounts, days=days, seed=seed, bad_share=bad_share))
        if truth:
            write_truth(sim, Path(truth))
        if out:
            write_jsonl(sim, Path(out))
            print(f"wrote {len(sim.events)} events to {out}", file=sys.stderr)  # noqa: T201
            return
        await admin.ensure_topics(settings)
        sent = await producer.send_events(settings, sim.events)
        print(f"sent {sent} events to {settings.broker_url}", file=sys.stderr)  # noqa: T201


def _demo(scorer: Scorer) -> None:
    @scorer.app.command(
        option("--accounts", type=int, default=400, show_default=True, help="accounts to simulate"),
        option("--days", type=float, default=7.0, show_default=True, help="simulated period"),
        option("--seed", type=int, default=1, show_default=True, help="random seed"),
        option("--out-dir", type=click_path(directory=True), default="riskscorer-demo", show_default=True,
               help="where events, ground truth and escalations are written"),
        option("--summary-json", type=click_path(), default=None, help="also write the summary"),
        option("--rate", type=float, default=800.0, show_default=True,
               help="events sent per second, as live traffic (0: all at once, as a backlog)"),
    )
    async def demo(
        self: Any, accounts: int, days: float, seed: int, out_dir: str, summary_json: str | None,
        rate: float,
    ) -> None:
        """Run the whole pipeline on embedded services with simulated traffic; print a summary."""
        config = SimConfig(accounts=accounts, days=days, seed=seed)
        summary_path = Path(summary_json) if summary_json else None
        await demo_runner.run(scorer, config, Path(out_dir), summary_path, rate or None)


def _backtest(scorer: Scorer) -> None:
    settings = scorer.settings

    @scorer.app.command(
        argument("events", type=click_path(exists=True)),
        option("--rules", "rules_path", type=click_path(exists=True), default=None,
               help="rules file (default: RISKSCORER_RULES_FILE)"),
        option("--truth", type=click_path(exists=True), default=None, help="ground truth JSON"),
        option("--compare", type=click_path(exists=True), default=None,
               help="old rules file (run with the text model in force): what the change adds and drops"),
        option("--text-model", "text_model", type=click_path(exists=True), default=None,
               help="text model file to run with (default: the one in force)"),
    )
    async def backtest(
        self: Any, events: str, rules_path: str | None, truth: str | None, compare: str | None,
        text_model: str | None,
    ) -> None:
        """Run detectors and scoring over recorded events (JSONL), without a broker."""
        from streams.batch.rules_file import load_model, load_rules
        from streams.commands import backtest as bt

        model = load_model(Path(text_model)) if text_model else scorer.rules.text_model
        rules = load_rules(Path(rules_path) if rules_path else settings.rules_file, model)
        truth_doc = orjson.loads(Path(truth).read_bytes()) if truth else None
        try:
            result = bt.run(read_jsonl(Path(events)), rules, settings.max_event_bytes,
                            settings.max_text_chars, bt.print_progress)
            summary = bt.report(result, truth_doc)
            if compare:
                old_rules = load_rules(Path(compare), scorer.rules.text_model)
                old = bt.run(read_jsonl(Path(events)), old_rules, settings.max_event_bytes, settings.max_text_chars)
                summary["compare"] = {"new": bt.side(result, rules), "old": bt.side(old, old_rules),
                                      **bt.compare(result, old)}
        except RecordingError as exc:
            raise SystemExit(f"riskscorer backtest: {exc}") from None
        sys.stdout.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode() + "\n")


def _train_text(scorer: Scorer) -> None:
    settings = scorer.settings

    @scorer.app.command(
        option("--out", type=click_path(), required=True, help="model file to write (gzipped JSON)"),
        option("--public", type=click_path(directory=True, exists=True), default=None,
               help="folder of the public labelled sets (default: ../shared/textdata beside the checkout)"),
        option("--examples", type=click_path(exists=True), default=None,
               help="reviewers' verdicts exported as JSONL (default: the store in RISKSCORER_REDIS_URL)"),
        option("--version", "version", default=None, help="model version (default: a hash of what it learns from)"),
        option("--c", "c", type=float, default=2.0, show_default=True, help="inverse regularisation strength"),
        option("--min-count", "min_count", type=int, default=2, show_default=True,
               help="drop features seen in fewer examples (higher: a smaller, faster model)"),
    )
    async def train_text(
        self: Any, out: str, public: str | None, examples: str | None, version: str | None, c: float,
        min_count: int,
    ) -> None:
        """Train the text model on the seed set, the public sets and reviewers' verdicts."""
        from streams.training import command
        from streams.training.verdicts import VerdictError
        from streams.worker import security

        folder = Path(public) if public else command.DEFAULT_PUBLIC
        if not folder.is_dir():
            raise SystemExit(f"riskscorer: no public labelled sets at {folder} (give --public)")
        try:
            verdicts = await command.verdict_examples(
                settings.redis_url, settings.app_id, Path(examples) if examples else None,
                security.redis_options(settings))
        except VerdictError as exc:
            raise SystemExit(f"riskscorer: {exc}") from None
        command.train_to_file(command.gather(folder, verdicts), Path(out), version, c, min_count)


def _publish_rules(scorer: Scorer) -> None:
    settings = scorer.settings

    @scorer.app.command(argument("rules_file", type=click_path(exists=True)))
    async def publish_rules(self: Any, rules_file: str) -> None:
        """Validate a rules file and publish it to every worker (through Redis)."""
        from redis.asyncio import Redis

        from streams.worker import security
        from streams.worker.rules_reload import publish

        if not settings.redis_url:
            raise SystemExit("riskscorer: RISKSCORER_REDIS_URL is not set")
        redis = Redis.from_url(settings.redis_url, **security.redis_options(settings))
        try:
            rules = await publish(redis, settings.app_id, Path(rules_file).read_text())
        except RulesError as exc:
            raise SystemExit(f"riskscorer: {rules_file}: {exc}") from None
        finally:
            await redis.aclose()
        print(f"published rules version {rules.version}", file=sys.stderr)  # noqa: T201


def _reinstate_rule(scorer: Scorer) -> None:
    settings = scorer.settings

    @scorer.app.command(argument("rule"))
    async def reinstate_rule(self: Any, rule: str) -> None:
        """Lift a rule's demotion by reviewers' verdicts; its precision is measured afresh."""
        from redis.asyncio import Redis

        from streams.worker import security
        from streams.worker.agents.reviewer import VerdictStore

        if not settings.redis_url:
            raise SystemExit("riskscorer: RISKSCORER_REDIS_URL is not set")
        if rule not in scorer.rules.detectors:
            raise SystemExit(f"riskscorer: unknown rule {rule!r} (rules: {', '.join(scorer.rules.detectors)})")
        redis = Redis.from_url(settings.redis_url, **security.redis_options(settings))
        try:
            await VerdictStore(redis, settings.app_id).reinstate(rule)
        finally:
            await redis.aclose()
        print(f"rule {rule} reinstated; workers apply it within {settings.rules_poll_s:g} s", file=sys.stderr)  # noqa: T201


def _create_topics(scorer: Scorer) -> None:
    settings = scorer.settings

    @scorer.app.command()
    async def create_topics(self: Any) -> None:
        """Create the scorer's topics on the configured broker (idempotent)."""
        _need_broker(settings)
        await admin.ensure_topics(settings)


def _need_broker(settings: Settings) -> None:
    """Commands that write to the broker need one named: only the worker starts its own."""
    if not settings.broker_url:
        raise SystemExit("riskscorer: RISKSCORER_BROKER_URL is not set (only the worker starts an embedded broker)")


# Each adds one command to the app.
COMMANDS: tuple[Callable[[Scorer], None], ...] = (
    _simulate, _demo, _backtest, _train_text, _publish_rules, _reinstate_rule, _create_topics,
)


def click_path(exists: bool = False, directory: bool = False) -> Any:
    import click

    return click.Path(dir_okay=directory, file_okay=not directory, exists=exists)
