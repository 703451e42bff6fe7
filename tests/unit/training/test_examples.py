"""Training examples: the public hold-out is stable, verdicts label only what they decided."""

from scoring.text.types import POLICIES
from streams.training.examples import held_out, labelled, seed
from streams.training.verdicts import to_examples


def test_hold_out_is_stable_and_ignores_case_and_spacing():
    assert held_out("Free  entry to WIN") == held_out("free entry to win")
    share = sum(held_out(f"message number {i}") for i in range(5000)) / 5000
    assert 0.17 < share < 0.23


def test_a_labelled_example_is_negative_for_every_other_policy():
    ex = labelled("pay me via paypal", "message", ["off_platform_payment"], "seed")
    assert ex.positive == {"off_platform_payment"}
    assert ex.negative == set(POLICIES) - {"off_platform_payment"}


def test_verdicts_label_only_the_policies_decided():
    records = [
        {"text": "t1", "kind": "message", "policy": "off_platform_payment", "decision": "dismissed"},
        {"text": "t1", "kind": "message", "policy": "harassment", "decision": "confirmed"},
        {"text": "t2", "kind": "feedback", "policy": "spam_scam", "decision": "dismissed"},
    ]
    first, second = to_examples(records)
    assert (first.text, first.positive, first.negative) == ("t1", {"harassment"}, {"off_platform_payment"})
    assert not first.known("spam_scam")
    assert (second.kind, second.positive, second.negative) == ("feedback", set(), {"spam_scam"})


def test_the_seed_set_covers_every_policy_and_innocent_text():
    examples = seed()
    for policy in POLICIES:
        assert sum(policy in e.positive for e in examples) >= 150, policy
    assert sum(not e.positive for e in examples) >= 500


def test_the_latest_verdict_on_a_text_and_policy_stands():
    def rec(decision, ts):
        return {"text": "t", "kind": "message", "policy": "spam_scam", "decision": decision, "ts": ts}

    (later_dismissed,) = to_examples([rec("dismissed", 20), rec("confirmed", 10)])
    assert later_dismissed.negative == {"spam_scam"} and not later_dismissed.positive
    (later_confirmed,) = to_examples([rec("dismissed", 10), rec("confirmed", 20)])
    assert later_confirmed.positive == {"spam_scam"} and not later_confirmed.negative


def test_an_innocent_label_a_reliable_set_contradicts_is_dropped(tmp_path):
    """The smishing set's "ham" rows that the UCI set labels spam are not trained as innocent."""
    import json

    from streams.training import examples as ex

    def write(name, rows):
        lines = [json.dumps({"id": str(i), "text": t, "labels": labels}) for i, (t, labels) in enumerate(rows)]
        (tmp_path / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    prize = "Lucky you, a voucher waits, ring the number below today"
    chat = "see you at the bus stop at six"
    for name in ex.PUBLIC:
        write(name, [])
    write("sms_spam_uci", [(prize, ["spam_scam"]), (chat, ["benign"])])
    write("smishing_mendeley", [(prize.upper(), ["benign"]), (chat, ["benign"])])
    found = ex.public(tmp_path, False) + ex.public(tmp_path, True)
    kept = {e.text for e in found if e.source == "smishing_mendeley"}
    assert kept == {chat}
    assert any(e.text == prize and e.positive for e in found)


def test_a_public_positive_is_known_for_its_own_policy_only(tmp_path):
    """A spam set's spam may ask for contact ("ring 0906..."): it trains spam, and says nothing of
    contact; its innocent rows stay innocent of every policy."""
    import json

    from streams.training import examples as ex

    for name in ex.PUBLIC:
        (tmp_path / f"{name}.jsonl").write_text("", encoding="utf-8")
    rows = [("Win a prize now, call 09061 234567 to claim", ["spam_scam"]),
            ("running late, call you at six", ["benign"]),
            ("you are a worthless idiot", ["offensive"])]
    for name, keep in (("sms_spam_uci", rows[:2]), ("davidson_offensive", rows[2:])):
        lines = [json.dumps({"id": str(i), "text": t, "labels": labels}) for i, (t, labels) in enumerate(keep)]
        (tmp_path / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = {e.text: e for e in ex.public(tmp_path, False) + ex.public(tmp_path, True)}
    spam, chat, abuse = (found[t] for t, _ in rows)
    assert [p for p in POLICIES if spam.known(p)] == ["spam_scam"] and spam.positive == {"spam_scam"}
    assert [p for p in POLICIES if abuse.known(p)] == ["harassment"]
    assert not chat.positive and chat.negative == set(POLICIES)


def test_the_offensive_tweets_are_trained_without_their_register_and_measured_as_they_are(tmp_path):
    """Retweet marks, handles, links and HTML entities are tweets' alone: trained on, they would
    teach that a link or a handle is abuse. The held-out part is measured on the set's own text."""
    import json

    from streams.training import examples as ex

    for name in ex.PUBLIC:
        (tmp_path / f"{name}.jsonl").write_text("", encoding="utf-8")
    rows = [f"RT @someone_{i}: the match starts at six &amp; ends late http://t.co/x{i} #game" for i in range(40)]
    lines = [json.dumps({"id": str(i), "text": t, "labels": ["benign"]}) for i, t in enumerate(rows)]
    (tmp_path / "davidson_offensive.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "youtube_spam_uci.jsonl").write_text(json.dumps({"id": "0", "text": rows[0], "labels": []}) + "\n",
                                                     encoding="utf-8")
    trained = ex.public(tmp_path, measuring=False)
    measured = {e.text for e in ex.public(tmp_path, measuring=True) if e.source == "davidson_offensive"}
    tweets = {e.text for e in trained if e.source == "davidson_offensive"}
    assert tweets == {"the match starts at six ends late #game"}
    assert measured and measured <= set(rows)
    both = trained + ex.public(tmp_path, measuring=True)
    assert [e.text for e in both if e.source == "youtube_spam_uci"] == [rows[0]]


def test_the_offensive_tweets_innocent_rows_outweigh_their_abuse():
    from streams.training.examples import labelled
    from streams.training.fit import _weight

    innocent = labelled("see you at the game", "message", [], "davidson_offensive")
    abuse = labelled("you are a worthless idiot", "message", ["harassment"], "davidson_offensive")
    assert _weight(innocent) >= 5 * _weight(abuse)


def test_a_tweet_of_register_alone_is_neither_trained_nor_measured(tmp_path):
    import json

    from streams.training import examples as ex

    for name in ex.PUBLIC:
        (tmp_path / f"{name}.jsonl").write_text("", encoding="utf-8")
    rows = ["@someone &#9829; http://t.co/abc", "@someone you are a clown http://t.co/abc"]
    lines = [json.dumps({"id": str(i), "text": t, "labels": ["offensive"]}) for i, t in enumerate(rows)]
    (tmp_path / "davidson_offensive.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = ex.public(tmp_path, measuring=False) + ex.public(tmp_path, measuring=True)
    assert [e.text for e in found] in (["you are a clown"], [rows[1]])


def _carried(event, escalation, escalation_ts, decision, ts, text=None):
    return {"text": text or f"text of {event}", "kind": "message", "policy": "off_platform_payment",
            "decision": decision, "ts": ts, "event_id": event, "escalation_id": escalation,
            "escalation_ts": escalation_ts}


def test_a_follow_up_escalation_does_not_relabel_the_texts_an_earlier_one_carried():
    """E2 follows E1 and carries E1's message m0 again beside its new m1: the verdict on E1
    labels m0, whichever verdict came last; E2's labels m1 only."""
    for first, follow_up in (("dismissed", "confirmed"), ("confirmed", "dismissed")):
        records = [_carried("m0", "E1", 100, first, 400), _carried("m0", "E2", 200, follow_up, 410),
                   _carried("m1", "E2", 200, follow_up, 410)]
        for order in (records, records[::-1]):
            by_text = {e.text: e for e in to_examples(order)}
            assert ("off_platform_payment" in by_text["text of m0"].positive) == (first == "confirmed")
            assert ("off_platform_payment" in by_text["text of m1"].positive) == (follow_up == "confirmed")


def test_a_follow_up_labels_an_earlier_text_whose_own_escalation_was_not_decided():
    (m0, m1) = to_examples([_carried("m0", "E2", 200, "confirmed", 410), _carried("m1", "E2", 200, "confirmed", 410)])
    assert m0.positive == m1.positive == {"off_platform_payment"}


def test_verdicts_decided_at_the_same_time_do_not_depend_on_the_order_read():
    same = [_carried("m1", "E2", 200, "confirmed", 500, "pay me on paypal"),
            _carried("m2", "E1", 300, "dismissed", 500, "pay me on paypal")]
    assert to_examples(same) == to_examples(same[::-1])


def test_an_exported_verdict_that_is_not_one_is_refused_with_its_place(tmp_path):
    import orjson
    import pytest

    from streams.training.command import exported_examples
    from streams.training.verdicts import VerdictError

    good = _carried("m1", "E1", 100, "confirmed", 200)
    cases = {"not JSON": b"{", "lacks decision": orjson.dumps({**good, "decision": None}),
             "'maybe' is not one of": orjson.dumps({**good, "decision": "maybe"}),
             "must be a JSON object": b"[1]",
             "kind 'tweet' is not one of": orjson.dumps({**good, "kind": "tweet"}),
             "policy 'nonsense' is not one of": orjson.dumps({**good, "policy": "nonsense"}),
             "ts of the wrong type": orjson.dumps({**good, "ts": "yesterday"}),
             "event_id of the wrong type": orjson.dumps({**good, "event_id": ["x"]})}
    for expected, bad in cases.items():
        path = tmp_path / "verdicts.jsonl"
        path.write_bytes(orjson.dumps(good) + b"\n" + bad + b"\n")
        with pytest.raises(VerdictError, match=expected) as raised:
            exported_examples(path)
        assert str(path) in str(raised.value)
    path.write_bytes(orjson.dumps(good) + b"\n\n")
    assert [e.positive for e in exported_examples(path)] == [{"off_platform_payment"}]


def test_a_verdict_on_a_text_kept_for_measuring_is_not_trained(tmp_path):
    import json

    from streams.training import examples as ex
    from streams.training.command import gather

    measured = next(f"order {i} came late" for i in range(1000) if held_out(f"order {i} came late"))
    trained = next(f"order {i} came late" for i in range(1000) if not held_out(f"order {i} came late"))
    for name in ex.PUBLIC:
        rows = [{"id": "1", "text": measured, "labels": ["benign"]}, {"id": "2", "text": trained, "labels": ["benign"]}]
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    quotes = [{"id": "q1", "text": "Send the deposit by Zelle", "labels": ["off_platform_payment"], "split": "test"},
              {"id": "q2", "text": "Pay through the app please", "labels": ["benign"], "split": "dev"}]
    (tmp_path / f"{ex.QUOTES}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in quotes))
    verdicts = [labelled(t, "message", [], "verdict") for t in
                (measured.upper(), "send the deposit  by zelle", trained, "Pay through the app please", "new text")]
    kept = [e.text for e in gather(tmp_path, verdicts) if e.source == "verdict"]
    assert kept == [trained, "Pay through the app please", "new text"]
    # a verdict keeps an excerpt of a long text: an excerpt of a measured text is measured too
    excerpts = [labelled(t, "message", [], "verdict") for t in ("the deposit by", "Pay through the", "new text")]
    assert [e.text for e in ex.not_measured(excerpts, tmp_path, excerpt=14)] == ["Pay through the", "new text"]
