"""Per-policy precision, recall and F1, and the share of innocent texts flagged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scoring.text.types import POLICIES


@dataclass(frozen=True, slots=True)
class PolicyScore:
    policy: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    scores: tuple[PolicyScore, ...]
    innocent: int
    innocent_flagged: int

    @property
    def macro_f1(self) -> float:
        used = [s for s in self.scores if s.tp + s.fn]
        return sum(s.f1 for s in used) / len(used) if used else 0.0

    @property
    def innocent_flag_rate(self) -> float:
        return self.innocent_flagged / self.innocent if self.innocent else 0.0

    def table(self) -> str:
        rows = [f"{'policy':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
        rows += [
            f"{s.policy:24} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4} {s.fp:4} {s.fn:4}"
            for s in self.scores
        ]
        rows.append(
            f"macro F1 {self.macro_f1:.3f}; innocent flagged {self.innocent_flagged}/{self.innocent}"
            f" = {self.innocent_flag_rate:.3f}"
        )
        return "\n".join(rows)


def evaluate(pairs: Iterable[tuple[Sequence[str], Sequence[str]]], policies: Sequence[str] = POLICIES) -> Report:
    """Score (gold labels, predicted labels) pairs."""
    counts = {p: [0, 0, 0] for p in policies}
    innocent = flagged = 0
    for gold, predicted in pairs:
        gold_set, pred_set = set(gold), set(predicted)
        if not gold_set:
            innocent += 1
            flagged += bool(pred_set)
        for policy in policies:
            tp_fp_fn = counts[policy]
            tp_fp_fn[0] += policy in gold_set and policy in pred_set
            tp_fp_fn[1] += policy not in gold_set and policy in pred_set
            tp_fp_fn[2] += policy in gold_set and policy not in pred_set
    scores = tuple(PolicyScore(p, *counts[p]) for p in policies)
    return Report(scores, innocent, flagged)
