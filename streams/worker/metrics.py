"""All of the scorer's Prometheus metrics, in one container with bounded labels.

Labels are topic kinds, outcomes, reasons, policies and severities: small
fixed sets. Account ids never become labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from scoring.records import DECISIONS
from streams.batch.pipeline import BatchResult

# The values of the `found` label of riskscorer_offset_holes_total and `why` of
# riskscorer_reorder_forced_total, each exported at 0 from the start.
HoleFound = Literal["skipped", "tail", "stalled"]
ForcedWhy = Literal["held", "gate"]
HOLES_FOUND: tuple[HoleFound, ...] = get_args(HoleFound)
FORCED_WHY: tuple[ForcedWhy, ...] = get_args(ForcedWhy)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True, slots=True)
class Spec:
    """One metric's definition: its type, name, help text, labels and (a histogram's) buckets."""

    kind: type[Counter] | type[Gauge] | type[Histogram]
    name: str
    documentation: str
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] | None = None

    def create(self, registry: CollectorRegistry) -> Counter | Gauge | Histogram:
        if self.buckets is not None:
            return Histogram(self.name, self.documentation, self.labels, buckets=self.buckets, registry=registry)
        return self.kind(self.name, self.documentation, self.labels, registry=registry)


@dataclass(frozen=True, slots=True)
class Metrics:
    events: Counter
    dead_letters: Counter
    escalations: Counter
    withdrawals: Counter
    signals: Counter
    shadow_hits: Counter
    shadow_withdrawals: Counter
    exempt_hits: Counter
    escalation_score: Histogram
    latency: Histogram
    batch_seconds: Histogram
    batch_stage: Histogram
    batch_size: Histogram
    records_sent: Counter
    rules_info: Gauge
    rules_reloads: Counter
    rules_rejected: Counter
    batch_retries: Counter
    holes_refilled: Counter
    records_refetched: Counter
    hand_over_timeouts: Counter
    decisions: Counter
    decisions_waiting: Gauge
    rule_decisions: Gauge
    rule_precision: Gauge
    rule_precision_floor: Gauge
    rule_demoted: Gauge
    rules_demoted: Counter
    dependency_up: Gauge
    reorder_held: Gauge
    reorder_hold: Histogram
    reorder_late: Counter
    reorder_forced: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry) -> Metrics:
        metrics = cls._create(registry)
        for decision in DECISIONS:
            metrics.decisions.labels(decision)  # exported at 0 before the first decision
        for found in HOLES_FOUND:
            metrics.holes_refilled.labels(found)
        for why in FORCED_WHY:
            metrics.reorder_forced.labels(why)
        return metrics

    @classmethod
    def _create(cls, registry: CollectorRegistry) -> Metrics:
        made: dict[str, Any] = {field: spec.create(registry) for group in _GROUPS for field, spec in group.items()}
        return cls(**made)


# The metrics by area, in the order they are exported; each key is a field of `Metrics`.

# Input events, and those sent to the dead-letter topic.
_INPUTS: dict[str, Spec] = {
    "events": Spec(
        Counter, "riskscorer_events_total",
        "Input events by topic kind and outcome (scored, dead_letter, replayed; decisions: applied)",
        ("topic", "outcome"),
    ),
    "dead_letters": Spec(
        Counter, "riskscorer_dead_letters_total",
        "Events sent to the dead-letter topic, by topic kind and reason",
        ("topic", "reason"),
    ),
}

# Signals and the escalations they lead to.
_ESCALATIONS: dict[str, Spec] = {
    "escalations": Spec(
        Counter, "riskscorer_escalations_total",
        "Escalations published, by policy and severity (withdrawals apart)",
        ("policy", "severity"),
    ),
    "withdrawals": Spec(
        Counter, "riskscorer_withdrawals_total",
        "Escalations of findings withdrawn (a poor record, a risky client, a ring) because an earlier rating, "
        "dispute or ring notice arrived late, by policy",
        ("policy",),
    ),
    "signals": Spec(
        Counter, "riskscorer_signals_total",
        "Detector signals, by policy",
        ("policy",),
    ),
    "shadow_hits": Spec(
        Counter, "riskscorer_shadow_hits_total",
        "Signals of rules in shadow mode (computed, never escalated), by rule",
        ("rule",),
    ),
    "shadow_withdrawals": Spec(
        Counter, "riskscorer_shadow_withdrawals_total",
        "Findings of rules in shadow mode published on the shadow topic, then withdrawn there (a late "
        "event changed the time-order reading), by rule",
        ("rule",),
    ),
    "exempt_hits": Spec(
        Counter, "riskscorer_exempt_hits_total",
        "Signals about allow-listed accounts (rules file exemptions): counted, never scored, by rule",
        ("rule",),
    ),
    "escalation_score": Spec(
        Histogram, "riskscorer_escalation_score",
        "Policy score at escalation, by policy",
        ("policy",), buckets=(1.0, 1.5, 2.0, 3.0, 3.5, 5.0, 6.0, 8.0, 12.0, 20.0),
    ),
}

# Batches: their time, size and the records they send.
_BATCHES: dict[str, Spec] = {
    "latency": Spec(
        Histogram, "riskscorer_processing_latency_seconds",
        "Time from the event's broker timestamp to the end of its batch",
        buckets=LATENCY_BUCKETS,
    ),
    "batch_seconds": Spec(
        Histogram, "riskscorer_batch_seconds",
        "Time to process one batch (decode, score, send, store)",
        buckets=LATENCY_BUCKETS,
    ),
    "batch_stage": Spec(
        Histogram, "riskscorer_batch_stage_seconds",
        "Time of each stage of a batch: index (decode, link and cover-letter indexes, states loaded), "
        "score (the scoring processes), send (outputs acknowledged, profiles written), "
        "store (states written to the changelog)",
        ("stage",), buckets=LATENCY_BUCKETS,
    ),
    "batch_size": Spec(
        Histogram, "riskscorer_batch_events",
        "Events per processed batch",
        buckets=(1, 10, 50, 100, 250, 500, 1000, 2000, 5000),
    ),
    "records_sent": Spec(
        Counter, "riskscorer_records_sent_total",
        "Records written and acknowledged by the broker, by output "
        "(escalations, deadletter, subjects, shadow, changelog)",
        ("output",),
    ),
}

# The rules in force and their reloads.
_RULES: dict[str, Spec] = {
    "rules_info": Spec(
        Gauge, "riskscorer_rules_info",
        "The rules version in force (value 1)",
        ("version",),
    ),
    "rules_reloads": Spec(
        Counter, "riskscorer_rules_reloads_total",
        "Published rules versions taken into force without a restart",
    ),
    "rules_rejected": Spec(
        Counter, "riskscorer_rules_rejected_total",
        "Published rules rejected as invalid (the rules in force stay)",
    ),
}

# Batches tried again and input offsets re-read.
_RECOVERY: dict[str, Spec] = {
    "batch_retries": Spec(
        Counter, "riskscorer_batch_retries_total",
        "Attempts at a batch that failed and were tried again (Redis or the broker unreachable, "
        "or an event it fails on, which is dead-lettered after RISKSCORER_BATCH_ATTEMPTS); "
        "events are counted once in riskscorer_events_total however often they are tried",
    ),
    "holes_refilled": Spec(
        Counter, "riskscorer_offset_holes_total",
        "Offset ranges of input partitions that the scorer re-read from the broker, by how they "
        "were found: skipped (records after a gap in the offsets delivered, around rebalances), "
        "tail (a partition quiet short of the end its consumer knows), stalled (a partition quiet "
        "short of the end the broker gives when asked: its fetching stopped)",
        ("found",),
    ),
    "records_refetched": Spec(
        Counter, "riskscorer_records_refetched_total",
        "Input records re-read from the broker to fill skipped offset ranges",
    ),
    "hand_over_timeouts": Spec(
        Counter, "riskscorer_handover_timeouts_total",
        "Partitions handed over (a rebalance or a stop) while a batch was still being written, "
        "after RISKSCORER_SESSION_TIMEOUT_S / 2: its states may reach the changelog after another "
        "worker recovered them",
    ),
}

# Reviewers' decisions and what they do to each rule.
_REVIEWER: dict[str, Spec] = {
    "decisions": Spec(
        Counter, "riskscorer_decisions_total",
        "Reviewers' decisions applied from the decisions topic, by decision (confirmed, dismissed)",
        ("decision",),
    ),
    "decisions_waiting": Spec(
        Gauge, "riskscorer_decisions_waiting",
        "Reviewers' decisions waiting for the escalation they name to be stored (a replay rebuilding "
        "its escalations), tried again at each rules poll (the same on every worker)",
        (),
    ),
    "rule_decisions": Spec(
        Gauge, "riskscorer_rule_decisions",
        "Escalations of each rule that reviewers decided, by decision (the same on every worker)",
        ("rule", "decision"),
    ),
    "rule_precision": Spec(
        Gauge, "riskscorer_rule_precision",
        "Share of a rule's decided escalations that reviewers confirmed",
        ("rule",),
    ),
    "rule_precision_floor": Spec(
        Gauge, "riskscorer_rule_precision_floor",
        "The precision under which a rule is demoted to shadow mode",
        ("rule",),
    ),
    "rule_demoted": Spec(
        Gauge, "riskscorer_rule_demoted",
        "1 while a rule is in shadow mode because of reviewers' verdicts",
        ("rule",),
    ),
    "rules_demoted": Spec(
        Counter, "riskscorer_rules_demoted_total",
        "Rules this worker demoted to shadow mode (precision under the floor)",
        ("rule",),
    ),
}

# Redis and the broker, as the worker last found them.
_DEPENDENCIES: dict[str, Spec] = {
    "dependency_up": Spec(
        Gauge, "riskscorer_dependency_up",
        "1 while the dependency (redis, broker) answered the worker's last request to it, 0 "
        "while it is unreachable (the worker then consumes nothing new and retries)",
        ("dependency",),
    ),
}


# Events held back to be applied in event-time order (streams/worker/ordering.py).
_ORDER: dict[str, Spec] = {
    "reorder_held": Spec(
        Gauge, "riskscorer_reorder_held_events",
        "Input events delivered but held until every co-partitioned topic has passed their event time",
        (),
    ),
    "reorder_hold": Spec(
        Histogram, "riskscorer_reorder_hold_seconds",
        "Time from an event's delivery to the scorer to its release in event-time order "
        "(the reorder window, when event times are live)",
        buckets=LATENCY_BUCKETS,
    ),
    "reorder_late": Spec(
        Counter, "riskscorer_reorder_late_total",
        "Events applied after a later event of their partition group: delivered later than the "
        "reorder window allows (RISKSCORER_REORDER_WINDOW_MS)",
        (),
    ),
    "reorder_forced": Spec(
        Counter, "riskscorer_reorder_forced_total",
        "Events released early, by why: held (before the watermark passed them, because "
        "RISKSCORER_REORDER_MAX_EVENTS were held), gate (proposals that waited "
        "RISKSCORER_REORDER_GATE_MAX_MS for the other workers' letters)",
        ("why",),
    ),
}

_GROUPS = (_INPUTS, _ESCALATIONS, _BATCHES, _RULES, _RECOVERY, _REVIEWER, _DEPENDENCIES, _ORDER)


def count_sent(metrics: Metrics, **sent: int) -> None:
    """Records sent, by output (`deadletter=2, subjects=5`): one update per output that sent any."""
    for output, n in sent.items():
        if n:
            metrics.records_sent.labels(output).inc(n)


def record_metrics(metrics: Metrics, result: BatchResult) -> None:
    """A batch's counts in the worker's metrics: one update per label set and batch."""
    for (kind, reason), n in result.rejected.items():
        metrics.dead_letters.labels(kind, reason).inc(n)
    for (kind, outcome), n in result.outcomes.items():
        metrics.events.labels(kind, outcome).inc(n)
    for policy, n in result.signals.items():
        metrics.signals.labels(policy).inc(n)
    for rule, n in result.exempt.items():
        metrics.exempt_hits.labels(rule).inc(n)
    for rule, n in result.shadow_hits.items():
        metrics.shadow_hits.labels(rule).inc(n)
    for rule, n in result.shadow_withdrawn.items():
        metrics.shadow_withdrawals.labels(rule).inc(n)
    for esc in result.escalations:
        for policy in esc.policies:
            if esc.withdraws:
                metrics.withdrawals.labels(policy).inc()
                continue
            metrics.escalations.labels(policy, esc.severity).inc()
            metrics.escalation_score.labels(policy).observe(esc.scores[policy])
