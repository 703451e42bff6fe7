import pytest

from scoring import sketch

LETTER = (
    "Hello, I am a senior full stack developer with eight years of experience in React, Node and "
    "PostgreSQL. I have delivered more than forty projects on time and I communicate daily. I read "
    "your job post carefully and I am confident I can deliver exactly what you need. Let's talk."
)


def test_identical_texts_are_fully_similar():
    assert sketch.similarity(sketch.sketch(LETTER), sketch.sketch(LETTER)) == 1.0


def test_sketch_is_stable_and_compact():
    s = sketch.sketch(LETTER)
    assert s == sketch.sketch(LETTER)
    assert len(s) <= 48
    assert len(sketch.sketch(" ".join(f"w{i}" for i in range(400)))) == 43  # no empty bin: no mask


def hex_form(sk: str) -> str:
    """A sketch in the 64-hex-character form states held before."""
    value, empties = sketch._value_and_empties(sk)
    bins, mask = value.to_bytes(sketch.BINS, "big"), empties.to_bytes(sketch.BINS, "big")
    return "".join("--" if m else f"{b:02x}" for b, m in zip(bins, mask, strict=True))


@pytest.mark.parametrize(
    "text", [LETTER, " ".join(f"w{i}" for i in range(400)), "Hi, can do it", "Hello there friend, I start today"]
)
def test_sketches_stored_in_the_old_hex_form_compare_the_same(text):
    new, other = sketch.sketch(text), sketch.sketch("Hi John, " + LETTER[7:])
    old = hex_form(new)
    assert len(old) == 64 and ("--" in old) == (len(new) == 48)
    assert sketch.similarity(old, other) == sketch.similarity(new, other)
    assert sketch.similarity(old, new) == sketch.similarity(new, new)


@pytest.mark.parametrize(
    ("other", "low", "high"),
    [
        ("Hi John, " + LETTER[7:], 0.75, 1.0),  # greeting swapped: a paste
        (LETTER.replace("React", "Vue"), 0.7, 1.0),
        (
            "Dear hiring manager, your Shopify store migration needs careful handling of customer "
            "accounts and order history; I migrated three stores from Magento last year and wrote "
            "scripts to verify every order total after the move.",
            0.0,
            0.2,
        ),
    ],
)
def test_similarity_ranges(other, low, high):
    sim = sketch.similarity(sketch.sketch(LETTER), sketch.sketch(other))
    assert low <= sim <= high


def test_short_texts_do_not_match_by_accident():
    assert sketch.similarity(sketch.sketch("ok thanks"), sketch.sketch("ok thanks")) == 0.0
