"""The learned stage: a model file's validation, its bytes, and scores that split exactly into
what each feature added."""

import math

import pytest

from scoring.text.detect import analyze
from scoring.text.features import names, shaped
from scoring.text.model import ModelError, TextModel, dumps, from_document, loads, packaged, to_document
from scoring.text.normalize import normalize
from scoring.text.types import POLICIES

PAY = POLICIES.index("off_platform_payment")


def toy(threshold: float = 0.5) -> TextModel:
    """Payment weighs 'paypal', 'pay me' and an obfuscated provider name; nothing else weighs anything."""
    zero = (0.0,) * len(POLICIES)
    row = lambda w: tuple(w if i == PAY else 0.0 for i in range(len(POLICIES)))  # noqa: E731
    return TextModel("toy-1", POLICIES, (-3.0,) * 5, (1.0,) * 5, zero, (threshold,) * 5,
                     {"w:paypal": row(2.5), "b:pay me": row(1.5), "w:thanks": row(-1.0),
                      "r:payment_provider_intent": row(2.0)})


def test_round_trip_is_byte_stable():
    model = toy()
    data = dumps(model)
    assert dumps(loads(data)) == data
    assert loads(data) == model


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"format": 9}, "format"),
        ({"version": ""}, "version"),
        ({"policies": ["harassment"]}, "policies"),
        ({"bias": [0.0]}, "bias"),
        ({"weights": [[0.0]]}, "features"),
        ({"thresholds": ["x"] * 5}, "thresholds"),
    ],
)
def test_invalid_documents_are_refused_with_the_field(edit, message):
    doc = {**to_document(toy()), **edit}
    with pytest.raises(ModelError, match=message):
        from_document(doc)


def test_unreadable_bytes_are_refused():
    with pytest.raises(ModelError):
        loads(b"\x1f\x8bnot gzip")


def test_logit_is_bias_plus_the_contributions():
    model = toy()
    text = "pay me via paypal, thanks"
    found = names(shaped(normalize(text)), (), ())
    (z_pay, *_) = [model.logits(found)[PAY]]
    assert z_pay == pytest.approx(-3.0 + 2.5 + 1.5 - 1.0)
    p = model.calibrate(model.logits(found))[PAY]
    assert p == pytest.approx(1 / (1 + math.exp(-z_pay)))


def test_a_flag_needs_the_threshold():
    assert [h.policy for h in analyze("pay me via paypal", model=toy(0.7)).hits] == ["off_platform_payment"]
    assert analyze("pay me via paypal", model=toy(0.99)).hits == ()
    assert analyze("paypal thanks", model=toy(0.5)).hits == ()


def test_the_packaged_model_is_complete():
    model = packaged()
    assert model.version and set(model.policies) == set(POLICIES)
    assert all(0.0 < t < 1.0 for t in model.thresholds)
    assert len(model.weights) > 1000


def word_model(word: str) -> TextModel:
    """Payment weighs one word heavily: the model alone flags any text with it."""
    row = tuple(4.0 if i == PAY else 0.0 for i in range(len(POLICIES)))
    zero = (0.0,) * len(POLICIES)
    return TextModel("toy-2", POLICIES, (-3.0,) * 5, (1.0,) * 5, zero, (0.5,) * 5, {f"w:{word}": row})


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Sure, let us settle the barter next week.", True),
        ("No thanks, I don't accept barter. Let's keep it here.", False),
        ("I refused the barter he offered.", False),
        ("I won't take cash. But the barter works for me.", True),
    ],
)
def test_a_flag_on_the_model_alone_needs_a_word_that_is_not_refused(text, flagged):
    hits = analyze(text, model=word_model("barter")).hits
    assert ("off_platform_payment" in {h.policy for h in hits}) is flagged


@pytest.mark.parametrize(
    "text",
    [
        "pay me via paypal, thanks",
        "reviews reviewed reviewing: leave a review please",  # long words sharing their stem and letter runs
        "fucking fuckin f**k you, call 9175550123 or 9175550124",
        "",
    ],
)
def test_logits_from_words_equal_logits_from_names(text):
    from scoring.text.detect import _read
    from scoring.text.types import TextContext

    model = packaged()
    reading = _read(text, TextContext(kind="proposal"))
    expected = model.logits(reading.names())
    for _ in range(2):  # the second time from the model's cache of words
        assert reading.logits(model) == pytest.approx(expected, abs=1e-9)


def test_a_model_crosses_to_a_scoring_process():
    import pickle

    model = packaged()
    analyze("pay me via paypal", model=model)  # its caches filled
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model and copy.logit_thresholds == model.logit_thresholds
    assert analyze("pay me via paypal", model=copy).logits == analyze("pay me via paypal", model=model).logits
