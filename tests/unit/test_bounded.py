"""What the scorer writes about an account has a size cap, whatever the events held."""

from __future__ import annotations

import jsonschema
import orjson

from scoring.escalation import Escalation
from scoring.signals import EXCERPT_MAX, REASON_MAX, SPANS_MAX, Signal, Span
from streams.batch import bounded
from streams.batch.pipeline import Incoming, Processor
from streams.batch.schemas.outputs import ESCALATION_SCHEMA
from tests.unit.helpers import rules

T0 = 1_767_225_600_000
HOSTILE = [
    "t.me/scamdesk " * 1400,  # ~20 KB of one contact handle
    "pay me on paypal to " + "x" * 19_900,
    "whatsapp +1 555 0100 or telegram @" + "a" * 19_900,
    ("send the payment via western union and message me on telegram t.me/" + "z" * 300 + " ") * 50,
]


def messages(texts: list[str], sender: str = "f-" + "a" * 126) -> list[Incoming]:
    out = []
    for i, text in enumerate(texts):
        value = {"event_id": f"{'e' * 120}{i}", "ts": T0 + i * 1000, "room_id": "r", "sender_id": sender,
                 "recipient_id": "c-1", "text": text[:20_000], "contract_stage": "pre_contract"}
        out.append(Incoming("messages", "t", 0, i, sender.encode(), orjson.dumps(value), T0))
    return out


def test_twenty_kilobyte_messages_give_escalations_and_profiles_under_their_caps():
    result = Processor(rules(), 65536, 20_000).process(messages(HOSTILE * 3), lambda _: None)
    assert result.escalations, "the hostile messages must escalate, or this test shows nothing"
    for esc in result.escalations:
        doc = esc.to_dict()
        jsonschema.validate(doc, ESCALATION_SCHEMA)
        assert len(orjson.dumps(doc)) <= bounded.ESCALATION_MAX_BYTES
        for item in doc["evidence"]:
            assert len(item["reason"]) <= REASON_MAX and len(item["spans"]) <= SPANS_MAX
            assert all(len(span["text"]) <= EXCERPT_MAX for span in item["spans"])
    for profile in result.profiles.values():
        assert len(orjson.dumps(profile)) <= bounded.PROFILE_MAX_BYTES


def huge_signal(i: int) -> dict:
    sig = Signal("spam_scam", "text.scam", 1.0, f"{i} " + "r" * 50_000, "e" * 128, T0 + i,
                 spans=tuple(Span(0, 50_000, "\u0001" * 50_000) for _ in range(100)))
    return sig.to_dict()


def test_an_escalation_over_its_cap_leaves_out_its_oldest_evidence_and_says_so():
    evidence = tuple(huge_signal(i) for i in range(60))
    esc = Escalation("x" * 32, "a" * 128, ("spam_scam",), 9.0, {"spam_scam": 9.0}, "critical",
                     tuple(e["reason"] for e in evidence), evidence, "v1", "m1", T0, "e" * 128)
    assert len(orjson.dumps(esc.to_dict())) > bounded.ESCALATION_MAX_BYTES
    fitted = bounded.escalation(esc, rules()).to_dict()
    jsonschema.validate(fitted, ESCALATION_SCHEMA)
    assert len(orjson.dumps(fitted)) <= bounded.ESCALATION_MAX_BYTES
    assert fitted["evidence_omitted"] == 60 - len(fitted["evidence"]) > 0
    assert fitted["evidence"] == list(evidence[-len(fitted["evidence"]):])  # the newest kept
    shown = len(fitted["evidence"])
    assert fitted["reasons"] == [e["reason"] for e in fitted["evidence"]] + [
        f"spam_scam score 9: {9 - shown:.2f} of it from earlier signals not shown (only the newest are), each "
        "weighing half as much every 72 hours"]


def test_an_escalation_under_its_cap_is_unchanged():
    evidence = (Signal("spam_scam", "text.scam", 1.0, "why", "e1", T0).to_dict(),)
    esc = Escalation("x", "a", ("spam_scam",), 1.0, {"spam_scam": 1.0}, "low", ("why",), evidence, "v1", "m1", T0, "e1")
    assert bounded.escalation(esc, rules()) is esc
    assert "evidence_omitted" not in esc.to_dict()


def test_a_profile_over_its_cap_keeps_its_newest_signals():
    signals = {p: [huge_signal(i * 10 + j) for j in range(5)] for i, p in enumerate(("a", "b", "c", "d"))}
    doc = bounded.profile({"a": [1.0, T0]}, signals)
    assert len(orjson.dumps(doc)) <= bounded.PROFILE_MAX_BYTES
    kept = {item["ts"] for items in doc["signals"].values() for item in items}
    dropped = {item["ts"] for items in signals.values() for item in items} - kept
    assert kept and dropped and min(kept) > max(dropped)


def test_the_lookups_list_of_escalations_keeps_each_ones_first_reasons():
    from streams.adapters import profiles

    evidence = tuple(Signal("spam_scam", "text.scam", 1.0, f"why {i}", f"e{i}", T0 + i).to_dict() for i in range(9))
    esc = Escalation("x", "a", ("spam_scam",), 9.0, {"spam_scam": 9.0}, "critical",
                     tuple(e["reason"] for e in evidence), evidence, "v1", "m1", T0, "e8")
    assert profiles._summary(esc)["reasons"] == [f"why {i}" for i in range(profiles.SUMMARY_REASONS)]
