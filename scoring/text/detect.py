"""The text stage: normalise once, gate once, run the pattern detectors that have something to
read, then let the learned model weigh the words and the patterns into one score per policy."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from scoring.signals import REASON_MAX, excerpt, shown
from scoring.text import contact, contact_details, explain, feedback, harassment, negation, payment, scam, split
from scoring.text.contact_details import PHONE_SHAPE, SPELLED_SHAPE
from scoring.text.disown import disowned, lowered
from scoring.text.families import PREFIX
from scoring.text.features import context_names, features, names, shaped, words
from scoring.text.gate import Gate, gate
from scoring.text.lexicon import (
    FAM_CONTACT,
    FAM_FEEDBACK,
    FAM_HARASS,
    FAM_PAY,
    FAM_SCAM,
    INSULT,
    MAILHOST,
    MESSENGER,
    PAY,
)
from scoring.text.model import TextModel, packaged
from scoring.text.normalize import Normalized, normalize
from scoring.text.rx import Rx
from scoring.text.types import KINDS, OFF_PLATFORM_CONTACT, OFF_PLATFORM_PAYMENT, SPAM_SCAM, Span, TextContext, TextHit

_DEFAULT = TextContext()
WINDOW = 300  # a text longer than twice this is also read by the sentences of its pattern hits
MAX_PASSAGES = 8  # passages read per text, whatever its length
_SPLIT_MARKS = frozenset("0123456789@")
# The hits that read the room's earlier messages: a detail split across them, a repeated request
# for feedback, a demand for an answer after several messages.
BY_PREVIOUS = frozenset({"contact_split", "feedback_repeat_request", "harassment_pestering"})
_HAS_DIGIT = re.compile(r"\d")


_PAY_NAMES = frozenset({PAY})
_CONTACT_NAMES = frozenset({MESSENGER, MAILHOST})
_INSULTS = frozenset({INSULT})
# Policies whose model flags any refusal or negation of the quoted words excuses (see `_held_to`).
_REFUSABLE = frozenset({OFF_PLATFORM_PAYMENT, OFF_PLATFORM_CONTACT})


def _run(doc: Normalized, found: Gate, context: TextContext) -> list[TextHit]:
    hits: list[TextHit] = []
    families = found.families
    if found.has_any(FAM_PAY, _PAY_NAMES):
        hits += payment.detect(doc, found, context)
    if found.has_any(FAM_CONTACT, _CONTACT_NAMES) or doc.triggers & (PHONE_SHAPE | SPELLED_SHAPE):
        hits += contact.detect(doc, found, context)
    if families & FAM_FEEDBACK:
        hits += feedback.detect(doc, context)
    if found.has_any(FAM_HARASS, _INSULTS):
        hits += harassment.detect(doc, found, context)
    if families & FAM_SCAM:
        hits += scam.detect(doc, context)
    return hits


def _may_end_split(norm: str) -> bool:
    """Whether the start of a text (folded: full-width digits count) could end a detail begun
    in the sender's earlier messages: a digit, an at sign, a dot or "at"."""
    head = norm[:64]
    return not _SPLIT_MARKS.isdisjoint(head) or " at " in f" {head}" or "dot" in head or "." in head


def _split_worth_trying(norm: str, context: TextContext) -> bool:
    return bool(context.previous) and _may_end_split(norm)


def patterns(doc: Normalized, found: Gate, text: str, context: TextContext) -> list[TextHit]:
    """The pattern stage: every rule-based hit (exact details, provider names, phrases)."""
    hits = _run(doc, found, context)
    if _split_worth_trying(doc.norm, context):
        hits += split.detect(text, context)
    return hits


def _check_kind(context: TextContext) -> None:
    if context.kind not in KINDS:
        raise ValueError(f"unknown text kind {context.kind!r}; expected one of {', '.join(KINDS)}")


@dataclass(frozen=True, slots=True)
class _Reading:
    doc: Normalized
    found: Gate
    hits: list[TextHit]
    cues: list[tuple[str, Span]]
    tokens: list[str]  # the shaped words
    kind: str

    def names(self) -> set[str]:
        """The model's input."""
        return names(self.tokens, self.found.names, self.hits, self.cues, self.kind)

    def logits(self, model: TextModel) -> list[float]:
        """The model's logits over `names()`, each word's names looked up once per model."""
        return model.text_logits(self.tokens, context_names(self.found.names, self.hits, self.cues, self.kind))


def _read(text: str, context: TextContext) -> _Reading:
    """One text through normalisation, gate, patterns and cues: the same for training and scoring."""
    doc = normalize(text)
    found = gate(doc)
    hits = patterns(doc, found, text, context)
    return _Reading(doc, found, hits, negation.cues(doc.norm), shaped(doc), context.kind)


def read(text: str, context: TextContext = _DEFAULT) -> tuple[list[TextHit], set[str]]:
    """The pattern hits of a text and its feature names (the model's input, training included)."""
    _check_kind(context)
    reading = _read(text, context)
    return reading.hits, reading.names()


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """A text read by both stages: the model's logits, the policies flagged (one hit each, with
    its evidence) and the pattern hits the model weighed."""

    model: TextModel
    logits: list[float]
    hits: tuple[TextHit, ...]
    patterns: tuple[TextHit, ...]

    @property
    def scores(self) -> dict[str, float]:
        """The calibrated score per policy."""
        return dict(zip(self.model.policies, self.model.calibrate(self.logits), strict=True))

    @property
    def model_version(self) -> str:
        return self.model.version


def analyze(text: str, context: TextContext = _DEFAULT, model: TextModel | None = None) -> TextAnalysis:
    """Both stages over one text; `model` defaults to the packaged one. In a long text, the
    sentence around each pattern hit is also read on its own, so that a request in a long cover
    letter or profile is not drowned by the rest of it. A text read before in the same context
    is answered from the model's memo of recent readings."""
    _check_kind(context)
    model = model or packaged()
    key = (text, context.kind, context.contact_allowed, context.direct_contract)
    memo = model.recent_letters if context.kind == "proposal" else model.recent
    known: TextAnalysis | None = memo.get(key)  # the reading with no earlier messages
    if known is not None and not (context.previous and _previous_adds(text, context)):
        return known
    whole = _analyze(text, context, model)
    if len(text) > 2 * WINDOW and whole.patterns:
        whole = _with_passages(text, context, model, whole)
    if BY_PREVIOUS.isdisjoint(h.detector for h in whole.patterns):
        memo.keep(key, whole)  # the earlier messages added nothing: read as without them
    return whole


def _previous_adds(text: str, context: TextContext) -> bool:
    """Whether the room's earlier messages add a hit to a text's reading. Without such a hit the
    reading is the one with no earlier messages. Checked more widely than the pattern stage
    does (whatever the gate found), so a hit found only here costs a full reading, never a miss."""
    doc = normalize(text)
    return bool(feedback.repeated(doc, context) or harassment.pestering(doc, context)
                or (_split_worth_trying(doc.norm, context) and split.detect(text, context)))


def _analyze(text: str, context: TextContext, model: TextModel) -> TextAnalysis:
    """The analysis of a text (without the passages of a long one)."""
    r = _read(text, context)
    logits = r.logits(model)
    flagged = _flagged(model, logits, r.hits, context)
    hits: tuple[TextHit, ...] = ()
    if flagged:
        feats = features(r.doc, words(r.doc), r.found.names, r.hits, r.cues, context.kind)
        p = model.calibrate(logits)
        decided = (explain.decision(text, model.policies[i], i, p[i], feats, r.hits, model) for i in flagged)
        kept = [h for h in decided if _held_to(text, h, context, model)]
        hits = tuple(sorted([*kept, *_joined(kept, r, context, model)], key=_strongest))
    return TextAnalysis(model, logits, hits, tuple(r.hits))


def _joined(hits: list[TextHit], r: _Reading, context: TextContext, model: TextModel) -> list[TextHit]:
    """Flags read from others where contact is not allowed: a scam giving contact is a contact
    move, a contact move offering to pay offers payment outside (each when its own policy's model
    did not flag the text)."""
    if context.contact_allowed or context.direct_contract:
        return []
    details = [h for h in r.hits if h.detector in explain.SCAM_CONTACT_PATTERNS]
    if not details:
        return []
    detail = max(details, key=lambda h: h.weight)
    flagged = {h.policy: h for h in hits}
    out = []
    scam, move = flagged.get(SPAM_SCAM), flagged.get(OFF_PLATFORM_CONTACT)
    if scam is not None and move is None:
        out.append(explain.scam_contact(scam, detail, _on_scale(model, scam.weight, SPAM_SCAM, OFF_PLATFORM_CONTACT)))
    promise = _offer_to_pay(r.doc.norm) if move is not None and OFF_PLATFORM_PAYMENT not in flagged else None
    if move is not None and promise is not None:
        # as sure as the contact move, at most halfway from the payment threshold to certainty
        cap = (1.0 + model.threshold(OFF_PLATFORM_PAYMENT)) / 2
        weight = min(_on_scale(model, move.weight, OFF_PLATFORM_CONTACT, OFF_PLATFORM_PAYMENT), cap)
        span = r.doc.orig_span(*promise)
        out.append(explain.contact_payment(detail, span, r.doc.text[span[0]:span[1]], weight))
    return out


# An offer to pay: "I'll pay you", "we can pay", "payment is no problem".
_PAY_PROMISE = Rx(r"\b(?:i|we)\s*(?:'ll|\s+will|\s+can|\s+am\s+going\s+to|'m\s+going\s+to|\s+are\s+going\s+to"
                  r"|'re\s+going\s+to)\s+pay\b|\bpayment\s+is\s+(?:no|not\s+a)\s+problem\b")
# ... unless its sentence names the platform as the way ("I'll pay you through Upwork"), and
# not as the way avoided ("instead of on Upwork", "outside the platform").
_ON_PLATFORM = Rx(r"\b(?:through|via|on|in|using|by)\s+(?:the\s+)?(?:upwork|fiverr|freelancer|platform|site|escrow"
                  r"|milestones?|contract)\b")
_AVOIDED = Rx(r"\b(?:not|instead\s+of|outside(?:\s+of)?|off|avoid\w*|skip\w*)\b")


def _offer_to_pay(norm: str) -> tuple[int, int] | None:
    """The first offer to pay in `norm` that is made (not asked, refused or quoted) and does not
    name the platform as the way."""
    for found in _PAY_PROMISE.finditer(norm):
        lo, hi = negation.sentence(norm, found.start, found.end)
        if "?" in norm[found.end:hi + 1] or negation.suppressed(norm, found.start, found.end) \
                or negation.quoted(norm, found.start, found.end):
            continue
        if _ON_PLATFORM.test(norm[lo:hi]) and not _AVOIDED.test(norm[lo:hi]):
            continue
        return found.start, found.end
    return None


def _on_scale(model: TextModel, weight: float, source: str, target: str) -> float:
    """A score over `source`'s threshold, as far over `target`'s."""
    was, bar = model.threshold(source), model.threshold(target)
    return bar + (weight - was) * (1.0 - bar) / max(1.0 - was, 1e-6)


def _held_to(text: str, hit: TextHit, context: TextContext, model: TextModel) -> bool:
    """Whether the speaker's own words carry a flag on the model's words alone. Each word it
    quotes may be excused where it stands: for payment and contact, refused or negated ("No
    thanks, I don't accept payment outside the platform"); for the others, disowned by the speaker
    (`scoring.text.disown`: "I'm not going to leave you a bad review", "the last client called me
    an idiot", but not "do not leave less than 5 stars"). With every word excused the flag is
    dropped. With some disowned, the text less their sentences must still be flagged by itself
    ("the last client called me 'an idiot'. I just want to do good work for you" is not), unless
    a word not disowned shares a sentence with them ("I said no, ... I will leave a 1 star
    review" stands); a payment or contact flag with some words refused stands ("you have not put
    it into my PayPal yet, do it now"; "I couldn't find your email"). Digits spelled out in a
    count ("one two three four") are no number: a contact flag on them alone is dropped."""
    if not hit.detector.endswith(".model") or not hit.spans:
        return True
    low = lowered(text)
    if hit.policy in _REFUSABLE:
        counted = contact_details.counts(low) if hit.policy == OFF_PLATFORM_CONTACT else []
        return not all(negation.suppressed(low, start, end) or any(lo <= start and end <= hi for lo, hi in counted)
                       for start, end in hit.spans)
    excused = [disowned(low, start, end, hit.policy) for start, end in hit.spans]
    if not any(excused):
        return True
    if all(excused):
        return False
    cuts = sorted({negation.sentence(text, *span) for span, out in zip(hit.spans, excused, strict=True) if out})
    held = [span for span, out in zip(hit.spans, excused, strict=True) if not out]
    if any(lo <= start and end <= hi for start, end in held for lo, hi in cuts):
        return True  # a word not disowned in a sentence that disowns another: the sentence stands
    reading = _read(_without(text, cuts), replace(context, previous=()))
    i = model.policies.index(hit.policy)
    return reading.logits(model)[i] >= model.logit_thresholds[i]


def _without(text: str, cuts: list[tuple[int, int]]) -> str:
    """The text less the sorted ranges `cuts`."""
    parts, at = [], 0
    for lo, hi in cuts:
        if lo > at:
            parts.append(text[at:lo])
        at = max(at, hi)
    parts.append(text[at:])
    return " ".join(p.strip() for p in parts if p.strip())


def _passage(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span, at most WINDOW characters either side of it."""
    lo, hi = negation.sentence(text, start, end)
    return max(lo, start - WINDOW), min(hi, end + WINDOW)


def _with_passages(text: str, context: TextContext, model: TextModel, whole: TextAnalysis) -> TextAnalysis:
    """The whole text's reading, with what the passages around its pattern hits flag besides;
    each logit the higher of the whole's and the passages'."""
    flagged = {h.policy for h in whole.hits}
    hits, logits = list(whole.hits), list(whole.logits)
    read_at: set[tuple[int, int]] = set()
    alone = replace(context, previous=())  # a passage has no earlier messages
    for hit in whole.patterns:
        if hit.policy in flagged or not hit.spans or len(read_at) >= MAX_PASSAGES:
            continue
        lo, hi = _passage(text, *hit.spans[0])
        if (lo, hi) in read_at:
            continue
        read_at.add((lo, hi))
        part = _analyze(text[lo:hi], alone, model)
        logits = [max(a, b) for a, b in zip(logits, part.logits, strict=True)]
        for found in part.hits:
            if found.policy not in flagged:
                flagged.add(found.policy)
                hits.append(replace(found, spans=tuple((s + lo, e + lo) for s, e in found.spans)))
    return TextAnalysis(model, logits, tuple(sorted(hits, key=_strongest)), whole.patterns)


def _strongest(hit: TextHit) -> tuple[float, tuple[Span, ...], str]:
    return (-hit.weight, hit.spans, hit.detector)


def _flagged(model: TextModel, logits: list[float], hits: list[TextHit], context: TextContext) -> list[int]:
    """The policies flagged: a logit at its threshold, or a pattern that flags by itself; never
    contact once allowed (an active or direct contract), nor payment in a direct contract."""
    out = [i for i, (z, bar) in enumerate(zip(logits, model.logit_thresholds, strict=True)) if z >= bar]
    if hits:
        out += [model.policies.index(h.policy) for h in hits if h.detector in explain.FLAG_ALONE]
    if out and (context.contact_allowed or context.direct_contract):
        barred = {OFF_PLATFORM_CONTACT, OFF_PLATFORM_PAYMENT} if context.direct_contract else {OFF_PLATFORM_CONTACT}
        out = [i for i in out if model.policies[i] not in barred]
    return sorted(set(out))


def detect_text(text: str, context: TextContext = _DEFAULT, model: TextModel | None = None) -> tuple[TextHit, ...]:
    """The policies a text is flagged for, strongest first, each with its evidence."""
    return analyze(text, context, model).hits


def labels(hits: Iterable[TextHit]) -> list[str]:
    """Sorted unique policy ids of some hits."""
    return sorted({h.policy for h in hits})


def hit_to_dict(hit: TextHit) -> dict[str, Any]:
    """A JSON-ready view of one hit; its detector named as escalations' evidence names it
    (`text_<family>.<pattern>`: the rule in the rules file, then the pattern)."""
    return {
        "policy": hit.policy,
        "detector": PREFIX + hit.detector,
        "weight": hit.weight,
        "spans": [[s, e] for s, e in hit.spans],
        "reason": excerpt(shown(hit.reason), REASON_MAX),  # an escaped quote can be six times longer
    }
