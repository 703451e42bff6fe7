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
    assert len(s) == 64


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
