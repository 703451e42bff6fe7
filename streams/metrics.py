"""All of the scorer's Prometheus metrics, in one container with bounded labels.

Labels are topic kinds, outcomes, reasons, policies and severities: small
fixed sets. Account ids never become labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from scoring.records import DECISIONS

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True, slots=True)
class Metrics:
    events: Counter
    dead_letters: Counter
    escalations: Counter
    signals: Counter
    shadow_hits: Counter
    exempt_hits: Counter
    escalation_score: Histogram
    latency: Histogram
    batch_seconds: Histogram
    batch_size: Histogram
    records_sent: Counter
    rules_info: Gauge
    rules_reloads: Counter
    rules_rejected: Counter
    batch_retries: Counter
    holes_refilled: Counter
    records_refetched: Counter
    decisions: Counter
    rule_decisions: Gauge
    rule_precision: Gauge
    rule_precision_floor: Gauge
    rule_demoted: Gauge
    rules_demoted: Counter
    dependency_up: Gauge
    reorder_held: Gauge
    reorder_late: Counter
    reorder_forced: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry) -> Metrics:
        metrics = cls._create(registry)
        for decision in DECISIONS:
            metrics.decisions.labels(decision)  # exported at 0 before the first decision
        return metrics

    @classmethod
    def _create(cls, registry: CollectorRegistry) -> Metrics:
        return cls(
            events=Counter(
                "riskscorer_events_total",
                "Input events by topic kind and outcome (scored, dead_letter, replayed; decisions: applied)",
                ["topic", "outcome"],
                registry=registry,
            ),
            dead_letters=Counter(
                "riskscorer_dead_letters_total",
                "Events sent to the dead-letter topic, by topic kind and reason",
                ["topic", "reason"],
                registry=registry,
            ),
            escalations=Counter(
                "riskscorer_escalations_total",
                "Escalations published, by policy and severity",
                ["policy", "severity"],
                registry=registry,
            ),
            signals=Counter(
                "riskscorer_signals_total",
                "Detector signals, by policy",
                ["policy"],
                registry=registry,
            ),
            shadow_hits=Counter(
                "riskscorer_shadow_hits_total",
                "Signals of rules in shadow mode (computed, never escalated), by rule",
                ["rule"],
                registry=registry,
            ),
            exempt_hits=Counter(
                "riskscorer_exempt_hits_total",
                "Signals about allow-listed accounts (rules file exemptions): counted, never scored, by rule",
                ["rule"],
                registry=registry,
            ),
            escalation_score=Histogram(
                "riskscorer_escalation_score",
                "Policy score at escalation, by policy",
                ["policy"],
                buckets=(1.0, 1.5, 2.0, 3.0, 3.5, 5.0, 6.0, 8.0, 12.0, 20.0),
                registry=registry,
            ),
            latency=Histogram(
                "riskscorer_processing_latency_seconds",
                "Time from the event's broker timestamp to the end of its batch",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            batch_seconds=Histogram(
                "riskscorer_batch_seconds",
                "Time to process one batch (decode, score, send, store)",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            batch_size=Histogram(
                "riskscorer_batch_events",
                "Events per processed batch",
                buckets=(1, 10, 50, 100, 250, 500, 1000, 2000, 5000),
                registry=registry,
            ),
            records_sent=Counter(
                "riskscorer_records_sent_total",
                "Records written and acknowledged by the broker, by output "
                "(escalations, deadletter, subjects, shadow, changelog)",
                ["output"],
                registry=registry,
            ),
            rules_info=Gauge(
                "riskscorer_rules_info",
                "The rules version in force (value 1)",
                ["version"],
                registry=registry,
            ),
            rules_reloads=Counter(
                "riskscorer_rules_reloads_total",
                "Published rules versions taken into force without a restart",
                registry=registry,
            ),
            rules_rejected=Counter(
                "riskscorer_rules_rejected_total",
                "Published rules rejected as invalid (the rules in force stay)",
                registry=registry,
            ),
            batch_retries=Counter(
                "riskscorer_batch_retries_total",
                "Attempts at a batch that failed and were tried again (Redis or the broker unreachable, "
                "or an event it fails on, which is dead-lettered after RISKSCORER_BATCH_ATTEMPTS); "
                "events are counted once in riskscorer_events_total however often they are tried",
                registry=registry,
            ),
            holes_refilled=Counter(
                "riskscorer_offset_holes_total",
                "Offset ranges of input partitions that the consumer skipped (around rebalances) "
                "and the scorer re-read from the broker",
                registry=registry,
            ),
            records_refetched=Counter(
                "riskscorer_records_refetched_total",
                "Input records re-read from the broker to fill skipped offset ranges",
                registry=registry,
            ),
            decisions=Counter(
                "riskscorer_decisions_total",
                "Reviewers' decisions applied from the decisions topic, by decision (confirmed, dismissed)",
                ["decision"],
                registry=registry,
            ),
            rule_decisions=Gauge(
                "riskscorer_rule_decisions",
                "Escalations of each rule that reviewers decided, by decision (the same on every worker)",
                ["rule", "decision"],
                registry=registry,
            ),
            rule_precision=Gauge(
                "riskscorer_rule_precision",
                "Share of a rule's decided escalations that reviewers confirmed",
                ["rule"],
                registry=registry,
            ),
            rule_precision_floor=Gauge(
                "riskscorer_rule_precision_floor",
                "The precision under which a rule is demoted to shadow mode",
                ["rule"],
                registry=registry,
            ),
            rule_demoted=Gauge(
                "riskscorer_rule_demoted",
                "1 while a rule is in shadow mode because of reviewers' verdicts",
                ["rule"],
                registry=registry,
            ),
            rules_demoted=Counter(
                "riskscorer_rules_demoted_total",
                "Rules this worker demoted to shadow mode (precision under the floor)",
                ["rule"],
                registry=registry,
            ),
            dependency_up=Gauge(
                "riskscorer_dependency_up",
                "1 while the dependency (redis, broker) answered the worker's last request to it, 0 "
                "while it is unreachable (the worker then consumes nothing new and retries)",
                ["dependency"],
                registry=registry,
            ),
            reorder_held=Gauge(
                "riskscorer_reorder_held_events",
                "Input events delivered but held until every co-partitioned topic has passed their event time",
                registry=registry,
            ),
            reorder_late=Counter(
                "riskscorer_reorder_late_total",
                "Events applied after a later event of their partition group: delivered later than the "
                "reorder window allows (RISKSCORER_REORDER_WINDOW_MS)",
                registry=registry,
            ),
            reorder_forced=Counter(
                "riskscorer_reorder_forced_total",
                "Events released before the watermark passed them because RISKSCORER_REORDER_MAX_EVENTS were held",
                registry=registry,
            ),
        )
