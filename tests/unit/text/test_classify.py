"""classify_line / classify_stream and the evaluation arithmetic."""

import json

import pytest

from scoring.signals import REASON_MAX
from scoring.text import TextContext, TextHit, detect_text, hit_to_dict, labels
from scoring.text.classify import classify_line, classify_stream
from scoring.text.evaluate import evaluate
from scoring.text.types import POLICIES


def test_classify_line_shape() -> None:
    out = classify_line({"id": "m1", "kind": "message", "text": "pay me via p@yp@l"})
    assert out["id"] == "m1"
    assert out["labels"] == ["off_platform_payment"]
    assert [11, 17] in out["hits"][0]["spans"]
    assert set(out["hits"][0]) == {"policy", "detector", "weight", "spans", "reason"}
    assert out["hits"][0]["detector"].startswith("text_provider_ask.")  # the rule, as in the rules file
    assert set(out["scores"]) == set(POLICIES) and out["model_version"]
    assert out["scores"]["off_platform_payment"] == out["hits"][0]["weight"]


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "JSON object"),
        ({"kind": "message", "text": "x"}, "'id'"),
        ({"id": "1", "kind": "tweet", "text": "x"}, "'kind'"),
        ({"id": "1", "kind": "message", "text": 3}, "'text'"),
    ],
)
def test_classify_line_rejects(obj: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        classify_line(obj)  # type: ignore[arg-type]


def test_classify_stream_one_line_per_line() -> None:
    lines = [json.dumps({"id": str(i), "kind": "message", "text": t}) for i, t in enumerate(["hi", "you are an idiot"])]
    out = [json.loads(x) for x in classify_stream(lines)]
    assert [o["labels"] for o in out] == [[], ["harassment"]]


def test_classify_stream_reports_line_number() -> None:
    with pytest.raises(ValueError, match="line 2"):
        list(classify_stream(['{"id":"1","kind":"message","text":"a"}', "{not json"]))


def test_unknown_kind_rejected() -> None:
    with pytest.raises(ValueError, match="kind"):
        detect_text("hello", TextContext(kind="tweet"))


def test_labels_and_dict() -> None:
    hit = TextHit("harassment", "insult.harassment_insult", 0.9, ((0, 3),), "insult")
    assert labels([hit, hit]) == ["harassment"]
    assert hit_to_dict(hit) == {
        "policy": "harassment",
        "detector": "text_insult.harassment_insult",
        "weight": 0.9,
        "spans": [[0, 3]],
        "reason": "insult",
    }


def test_a_reason_is_cut_to_its_bound_after_its_hidden_characters_are_escaped() -> None:
    hit = TextHit("harassment", "harassment_insult", 0.9, ((0, 3),), "insult: '" + "x\u202e" * 100 + "'")
    reason = hit_to_dict(hit)["reason"]
    assert len(reason) == REASON_MAX
    assert reason.startswith("insult: 'x\\u202ex") and reason.endswith("…")


def test_evaluate_counts() -> None:
    report = evaluate([(["harassment"], ["harassment"]), ([], ["harassment"]), (["spam_scam"], []), ([], [])])
    by = {s.policy: s for s in report.scores}
    assert (by["harassment"].tp, by["harassment"].fp, by["harassment"].fn) == (1, 1, 0)
    assert by["harassment"].precision == 0.5
    assert by["spam_scam"].recall == 0.0
    assert report.innocent_flag_rate == 0.5
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.0) / 2)


def _lines(texts: list[str]) -> list[bytes]:
    return [json.dumps({"id": str(i), "kind": "message", "text": t}).encode() for i, t in enumerate(texts)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_classify_in_processes_keeps_order_and_numbers_errors(monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    from scoring.text.model import packaged
    from streams.commands import classify_pool

    monkeypatch.setattr(classify_pool, "CHUNK", 3)
    texts = ["hi", "you are an idiot", "thanks", "see you", "ok", "great", "fine"]
    lines = [*_lines(texts), b"{not json", *_lines(["after"])]
    chunks = list(classify_pool.classify(lines, packaged(), None, jobs))
    out = [json.loads(x) for done, _ in chunks for x in done.splitlines()]
    assert [o.get("id") for o in out] == [*[str(i) for i in range(len(texts))], None, "0"]
    assert out[1]["labels"] == ["harassment"]
    assert out[7]["line"] == 8 and out[7]["error"].startswith("not JSON") and "labels" not in out[7]
    assert out[8]["labels"] == []  # the line after a bad one is classified
    errors = [e for _, found in chunks for e in found]
    assert len(errors) == 1 and errors[0].startswith("line 8: not JSON")


def test_a_bad_line_is_answered_in_its_place_with_a_bounded_reason() -> None:
    errors: list[str] = []
    lines = [b'{"id":"a","kind":"' + b"x" * 100_000 + b'","text":"hi"}', b"caf\xe9", b"[1]",
             b'{"id":"d","kind":"message","text":"hello"}']
    out = [json.loads(x) for x in classify_stream(lines, errors=errors)]
    assert [(o.get("line"), o.get("id")) for o in out] == [(1, "a"), (2, None), (3, None), (None, "d")]
    assert "100000 characters" in out[0]["error"] and len(out[0]["error"]) < 200
    assert out[1]["error"] == "not UTF-8 (byte 4)"
    assert out[2]["error"] == "expected a JSON object, got list"
    assert len(errors) == 3 and errors[1] == "line 2: not UTF-8 (byte 4)"


def test_the_command_classifies_past_a_bad_line_and_says_so(tmp_path) -> None:
    import subprocess
    import sys

    lines = b"\n".join([*_lines(["hi"]), b"[1,2]", *_lines(["you are an idiot"])]) + b"\n"
    done = subprocess.run([sys.executable, "-m", "streams", "classify", "--jobs", "1"], input=lines,
                          capture_output=True, timeout=120)
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert done.returncode == 2 and [o.get("line") for o in out] == [None, 2, None]
    assert out[2]["labels"] == ["harassment"]
    assert b"line 2: expected a JSON object, got list" in done.stderr
    for jobs in ("0", "-3", "65"):
        refused = subprocess.run([sys.executable, "-m", "streams", "classify", "--jobs", jobs], input=b"",
                                 capture_output=True, timeout=120)
        assert refused.returncode == 2 and b"--jobs" in refused.stderr


def test_classify_in_processes_reads_input_as_it_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    from scoring.text.model import packaged
    from streams.commands import classify_pool

    monkeypatch.setattr(classify_pool, "CHUNK", 10)
    read = 0

    def lines():  # noqa: ANN202
        nonlocal read
        for line in _lines(["hello"] * 10_000):
            read += 1
            yield line

    chunks = classify_pool.classify(lines(), packaged(), None, 2)
    next(chunks)
    assert read <= 10 * (2 * 2 + 1)  # the chunks in flight, and the one being cut
    assert sum(1 for _ in chunks) == 999


def test_a_reason_shows_the_invisible_characters_it_quotes() -> None:
    """A bidi override, a zero-width space or a line separator in a sender's text would reorder or
    hide the reason around its quote on a reviewer's screen: each is written as its code."""
    for text, mark in (("add me on whats\u202eapp: +1 555 0100 2233", "\u202e"),
                       ("pay me on pay\u200bpal now", "\u200b"), ("you\u2028useless moron", "\u2028")):
        (out,) = classify_stream([json.dumps({"id": "1", "kind": "message", "text": text})])
        reasons = [h["reason"] for h in json.loads(out)["hits"]]
        assert reasons and all(mark not in r for r in reasons), (text, reasons)
        assert any(f"\\u{ord(mark):04x}" in r for r in reasons), reasons
