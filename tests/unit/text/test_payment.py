"""off_platform_payment: providers with intent, disguised names, direct-payment and fee talk."""

import pytest

from scoring.text import TextContext
from tests.unit.text.conftest import patterns, policies

PAY = "off_platform_payment"


@pytest.mark.parametrize(
    "text",
    [
        "Can you pay me via PayPal?",
        "send it to my p@yp@l",
        "p a y p a l works better",
        "p.a.y.p.a.l only",
        "pay-pal is fine for me",
        "I can pay through pay pal",
        "paypa1 account, same email",
        "ｐａｙｏｎｅｅｒ please",
        "pаypаl please",  # Cyrillic a
        "do you have zelle?",
        "pay me directly and we both save",
        "let's do the next job outside upwork",
        "we could avoid the upwork fees this way",
        "I'll send you the rest directly",
        "send the balance in USDT to my wallet",
        "bank transfer is easier for me, here is my IBAN",
        # "only ... through/via" refuses when it names the platform, not when it names a provider
        "I only accept payment via PayPal.",
        "I only take payments via Wise.",
        "Why don't you just send it to my PayPal?",  # a suggestion, not a negation
        # words of a refusal or a warning in a sentence that asks all the same
        "Is it possible to pay you via PayPal instead?",
        "Be careful with fees, pay me on PayPal instead.",
        "Once the contract ends, pay me directly via PayPal.",
        "For example, you can pay me via PayPal and save the fee.",
        "I've had 5 years on Upwork, but pay me via PayPal for this one.",
        "please send me your PayPal details so I can pay you",
        "Next time order the bundle from my own site, it is cheaper there.",
        "You can book the session through my website and skip the fee.",
        "Could we settle the rest directly instead of through the site?",
        "Just pay directly to my account, it is quicker.",
        "A direct transfer outside the site works best for me.",
        "bro just cashapp me 40 and ill knock it out tonight",  # a provider as the verb
        "Drop the dispute and I'll Revolut you 70% right now.",
        "Venmo me the rest when you can",
        "can you zelle us the deposit today",
    ],
)
def test_fires(text: str) -> None:
    assert PAY in policies(text)


@pytest.mark.parametrize(
    "text",
    [
        "We need to integrate the PayPal API into the checkout",
        "the Payoneer webhook fails in sandbox",
        "I only accept payment through Upwork",
        "I don't accept PayPal, only payments through the platform.",
        "No PayPal please, only milestones on Upwork.",
        "Never share your password or pay anyone outside the platform.",
        "Has anyone else had a client ask for their PayPal?",
        "Upwork pays me to my Payoneer every week.",
        "I don't work outside Upwork",
        "The client asked me to pay via PayPal but I refused",
        "I withdraw my earnings to Payoneer",
        "It would be wise to pay attention to the brief",
        "Upwork's conversion fee lets you move a client off the marketplace",
        "the wire frames are ready",
        "Share your PayPal business name so I can put it on the invoice mockup.",
        "Can you add a buy button on my website for the e-book?",
        "Visitors should be able to order from my shop with a card.",
        "I sell prints on my website too, the portfolio is there.",
        "Upwork pays directly into my bank account every week.",
        "I'd rather not pay directly, let's keep it on Upwork.",
        "The client pays directly through the platform, no worries.",
        "The PayPal you linked in the checkout settings is the sandbox one.",
        "the PayPal you set up last year",  # a provider before "you" that is no verb
        "I saw the Venmo you posted on the project page, nice design.",
        "Thanks for the Zelle you described in the spec, I'll mock it.",
        "The bitcoin us developers forum is a good resource.",
        "Apple Pay you'll need to enable in the Xcode capabilities.",
        "Is the Revolut you're talking about the UK one?",
    ],
)
def test_quiet(text: str) -> None:
    assert PAY not in policies(text)


def test_direct_contract_is_exempt() -> None:
    assert patterns("pay me via paypal", TextContext(direct_contract=True)) == []


@pytest.mark.parametrize(
    ("text", "span_text"),
    [
        ("please pay to my p@yp@l today", "p@yp@l"),
        ("pay\u200bpal me when done", "pay\u200bpal"),
        ("ok ＰＡＹＰＡＬ then", "ＰＡＹＰＡＬ"),
    ],
)
def test_span_points_at_original(text: str, span_text: str) -> None:
    hits = [h for h in patterns(text) if h.policy == PAY]
    assert hits
    s, e = hits[0].spans[0]
    assert text[s:e] == span_text
    assert "PayPal" in hits[0].reason


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("I can send it by bank if you prefer, outside of here", "via bank"),
        ("just pay to my wise please, it is faster", "via wise"),
        ("I will pay you through PayPal so you skip the fee", "via PayPal"),
    ],
)
def test_a_provider_ask_names_the_provider_alone_and_either_direction(text: str, named: str) -> None:
    hits = [h for h in patterns(text) if h.detector == "payment_provider_intent"]
    assert hits, text
    assert f"asks to pay or be paid {named}" in hits[0].reason
