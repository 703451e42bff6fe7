"""Text findings become signals under their family's rule: each family shadowed or switched off
alone, weighted from the rule's weight at the threshold to twice that at certainty."""

import copy

from scoring.detectors import text
from scoring.rules import parse_rules, rule_of
from scoring.text import TextContext
from scoring.text.families import RULES
from tests.unit.test_rules import default_doc
from tests.unit.text.test_explain import scam_toy
from tests.unit.text.test_model import toy

TEXT = "please pay me via p@yp@l"


def rules_with(**modes: str):
    doc = copy.deepcopy(default_doc())
    for name, mode in modes.items():
        doc["detectors"][name]["mode"] = mode
    return parse_rules(doc, toy())


def test_a_flag_is_a_signal_of_its_family_with_the_text_kept():
    (sig,) = text.detect(TEXT, TextContext(), "e1", 5, rules_with())
    assert rule_of(sig.detector) == "text_provider_ask"
    assert 0.5 <= sig.weight <= 1.5
    assert sig.text is not None and sig.text.body == TEXT and sig.text.model_version == "toy-1"
    assert sig.to_dict()["text"]["kind"] == "message"


def test_another_family_switched_off_changes_nothing():
    assert text.detect(TEXT, TextContext(), "e1", 5, rules_with(text_insult="off")) == text.detect(
        TEXT, TextContext(), "e1", 5, rules_with())


def test_a_shadowed_family_is_shadow_alone():
    rules = rules_with(text_provider_ask="shadow")
    assert rules.is_shadow("text_provider_ask.payment_provider_intent")
    assert not rules.is_shadow("text_insult.harassment_insult")


def test_all_text_rules_off_skips_the_text_stage():
    rules = rules_with(**{name: "off" for name in RULES})
    assert not rules.text_enabled
    assert text.detect(TEXT, TextContext(), "e1", 5, rules) == []


def test_long_texts_are_kept_bounded():
    (sig,) = text.detect(TEXT + " x" * 2000, TextContext(), "e1", 5, rules_with())
    assert sig.text is not None and len(sig.text.body) == text.MAX_EXAMPLE_CHARS
    assert all(len(s.text) <= text.MAX_SPAN_CHARS for s in sig.spans)


def test_a_family_switched_off_leaves_the_flag_to_its_policys_wording_rule():
    (sig,) = text.detect(TEXT, TextContext(), "e1", 5, rules_with(text_provider_ask="off"))
    assert rule_of(sig.detector) == "text_payment_wording"
    assert text.detect(TEXT, TextContext(), "e1", 5,
                       rules_with(text_provider_ask="off", text_payment_wording="off")) == []


def test_the_text_kept_is_the_part_around_the_evidence():
    long = "Hi, following up on the project. " * 20 + TEXT
    (sig,) = text.detect(long, TextContext(), "e1", 5, rules_with())
    assert sig.text is not None and "p@yp@l" in sig.text.body and len(sig.text.body) == text.MAX_EXAMPLE_CHARS


def test_the_part_kept_of_a_long_text_says_where_it_starts_so_the_spans_can_be_found_in_it():
    long = "Hi, following up on the project. " * 20 + TEXT
    (sig,) = text.detect(long, TextContext(), "e1", 5, rules_with())
    ref = sig.text
    assert ref is not None and ref.offset > 0 and sig.to_dict()["text"]["offset"] == ref.offset
    for span in sig.spans:
        assert ref.body[span.start - ref.offset : span.end - ref.offset] == long[span.start : span.end]
    (short,) = text.detect(TEXT, TextContext(), "e1", 5, rules_with())
    assert "offset" not in short.to_dict()["text"]  # the whole text: its spans are the body's


def test_a_contact_move_read_from_a_scam_switched_off_is_not_left_to_the_contact_wording_rule():
    """The contact model did not flag the text: with its family off, the move is dropped."""
    scam = "You are a winner! Text our agent on WhatsApp +1 415 555 0143 to claim."

    def contact_rules(**modes: str) -> list[str]:
        doc = copy.deepcopy(default_doc())
        for name, mode in modes.items():
            doc["detectors"][name]["mode"] = mode
        signals = text.detect(scam, TextContext(), "e1", 5, parse_rules(doc, scam_toy()))
        return [rule_of(s.detector) for s in signals if s.policy == "off_platform_contact"]

    assert contact_rules() == ["text_scam_contact"]
    assert contact_rules(text_scam_contact="off") == []


def test_a_text_flagged_with_the_rooms_earlier_messages_is_marked_and_labels_nothing():
    """A detail split across messages is flagged in the room, not in the last message alone:
    a verdict on it says nothing of that text, so the escalation offers it for no example."""
    from scoring.escalation import Escalation
    from streams.adapters.profiles import reviewed

    rules = rules_with()
    (split,) = text.detect("123 4567", TextContext(previous=("text me on 0412",)), "m2", 10, rules)
    (alone,) = text.detect(TEXT, TextContext(), "m3", 20, rules)
    assert split.text.with_earlier and not alone.text.with_earlier
    assert split.to_dict()["text"]["with_earlier"] is True and "with_earlier" not in alone.to_dict()["text"]
    esc = Escalation("e1", "f1", ("off_platform_contact",), 2.0, {}, "high", (), (split.to_dict(), alone.to_dict()),
                     "r1", "m1", 20, "m3")
    assert [t["event_id"] for t in reviewed(esc)["texts"]] == ["m3"]
    # only the flag the earlier messages made: the same text's payment ask is its own
    both = text.detect(f"123 4567. {TEXT}", TextContext(previous=("text me on 0412",)), "m4", 30, rules)
    assert sorted((s.policy, s.text.with_earlier) for s in both) == [("off_platform_contact", True),
                                                                     ("off_platform_payment", False)]


def test_an_escalations_reason_shows_the_invisible_characters_it_quotes():
    from scoring.signals import Signal

    sig = Signal("off_platform_contact", "text_contact_move.contact_messenger", 1.0,
                 "names WhatsApp in disguised spelling 'whats\u202eapp'\u2028", "m1", 1)
    assert sig.to_dict()["reason"] == "names WhatsApp in disguised spelling 'whats\\u202eapp'\\u2028"
