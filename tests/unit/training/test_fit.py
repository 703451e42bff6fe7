"""Training is deterministic and learns what its examples show."""

from scoring.text.detect import analyze
from scoring.text.model import dumps
from streams.training.examples import labelled
from streams.training.fit import Options, train

PAY = ["off_platform_payment"]
ASKS = ["pay me on paypal please", "send the money to my paypal", "paypal me the rest", "just paypal it to me",
        "can you pay through paypal", "pay me by paypal today", "use paypal to pay me", "paypal is easier for me"]
INNOCENT = ["the logo is ready", "see the draft attached", "thanks for the feedback", "the build is green",
            "meeting at noon works", "I fixed the header", "the colours look great", "sending the files now",
            "I updated the readme", "the page loads faster now", "good morning", "let me check the brief"]


def examples(extra: list[str] = ()) -> list:  # type: ignore[assignment]
    out = [labelled(t, "message", PAY, "seed") for t in ASKS] + [labelled(t, "message", [], "seed") for t in INNOCENT]
    return out + [labelled(t, "message", [], "verdict") for t in extra]


def test_same_examples_same_bytes():
    options = Options(folds=3)
    assert dumps(train(examples(), "v", options)) == dumps(train(examples(), "v", options))


def test_it_learns_the_policy_it_was_shown():
    model = train(examples(), "v", Options(folds=3))
    assert [h.policy for h in analyze("please pay me with paypal", model=model).hits] == PAY
    assert analyze("the draft is ready", model=model).hits == ()


def test_a_higher_min_count_keeps_only_the_common_features():
    full = train(examples(), "v", Options(folds=3))
    pruned = train(examples(), "v", Options(folds=3, min_count=4))
    assert set(pruned.weights) < set(full.weights)
    # every feature kept is one at least four examples show
    assert "w:paypal" in pruned.weights
    assert "b:pay me" in full.weights and "b:pay me" not in pruned.weights  # three examples show it
