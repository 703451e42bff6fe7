"""spam_scam: messenger interviews, sensitive data, fees, fake checks, income pitches, hire-me spam."""

import pytest

from tests.unit.text.conftest import detectors, patterns, policies

SCAM = "spam_scam"


@pytest.mark.parametrize(
    ("text", "detector"),
    [
        ("Please add our HR on Telegram @hr_maria for an interview", "scam_messenger_interview"),
        ("send me your bank details so I can deposit your salary", "scam_sensitive_data"),
        ("there's a small registration fee of $30 before you start", "scam_upfront_fee"),
        ("You need to pay a $50 training fee to get the materials", "scam_upfront_fee"),
        ("a one-time activation fee is required", "scam_upfront_fee"),
        ("Buy the gift cards and I will reimburse you", "scam_upfront_fee"),
        ("I will send you a check, deposit it and send the extra back", "scam_check_overpayment"),
        ("guaranteed income of $500 a week working from home", "scam_income_pitch"),
        ("invest in bitcoin with us and double your money", "scam_income_pitch"),
        ("kindly hire me, I am available now", "scam_hire_me_spam"),
        ("How about you design it for free? Our budget is gone.", "scam_free_work"),
        ("It'll be great exposure for you, we just can't pay.", "scam_free_work"),
        ("Translate the first chapter in exchange for future work", "scam_free_work"),
        ("We can't pay you anything, but your name goes in the credits", "scam_free_work"),
        ("I pay $200 a month to rent your Upwork account", "scam_account_rent"),
        ("Can I use your account to bid on jobs? I'll give you 20% of every payment", "scam_account_rent"),
        ("Looking for someone in the US to open an Upwork account for me, we split the earnings.", "scam_account_rent"),
        ("We need an account partner from Europe, you only verify the ID and get paid monthly.", "scam_account_rent"),
        ("I'd love to use your unused account when you're not active", "scam_account_rent"),
        ("We are buying verified freelancer accounts, good price", "scam_account_rent"),
        ("Could you build it without payment? It's a small job", "scam_free_work"),
        ("We could sell your Fiverr profile for you and split it", "scam_account_rent"),
        ("Would you be willing to work for free for the first month?", "scam_free_work"),
        ("Why don't you do the logo for free and we'll pay for the next one", "scam_free_work"),
        ("Could you do a free test of 500 words before we decide?", "scam_free_work"),
        ("Since you have no clients now, I hoped you could draw the mascot for free.", "scam_free_work"),
        ("Could you build the landing page for free? We have no budget yet.", "scam_free_work"),
        ("Give five stars to our restaurant on the map app, paid 4 dollars per rating.", "scam_paid_task"),
        ("We pay $3 for every product review you post, up to 30 a day.", "scam_paid_task"),
        ("Leave your Fiverr account idle, I'll log in to it through AnyDesk on your laptop.", "scam_remote_account"),
        ("I install TeamViewer on your PC and bid from your Upwork profile, you get a share.", "scam_remote_account"),
        ("You have been selected for a bonus. Verify your account here: bit.ly/upw-bonus", "scam_phishing"),
        ("Claim your reward at upwork-rewards.top before it expires.", "scam_phishing"),
        ("Verify your account at upwork.com.verify-id.top/login now.", "scam_phishing"),
        ("Good news: you have been picked as the winner of a tablet in our seller giveaway.", "scam_prize"),
        ("Your phone number was drawn in this week's lottery, reply to get the cash prize.", "scam_prize"),
        ("You are the lucky person of today's draw, call us back.", "scam_prize"),
        ("To collect your winnings, write back with your address.", "scam_prize"),
        ("I'd pay with a cashier's check, it is what my bank gives me.", "scam_check_overpayment"),
        ("Payment by postal order is the only way I can do it.", "scam_check_overpayment"),
        ("Our office paid twice by accident, so send the money back by gift card.", "scam_check_overpayment"),
        ("Kindly refund the deposit to a different card, the old one expired.", "scam_check_overpayment"),
        ("Take your share and pass the remainder on to my moving company.", "scam_check_overpayment"),
        ("I am currently in the hospital; my brother sends the money with PayPal.", "scam_hardship_payment"),
        ("We are stuck offshore on a rig this month; I'll post you a cheque once you accept.", "scam_hardship_payment"),
        ("I can't talk to you on the phone, I am deaf; let me pay with Zelle instead.", "scam_hardship_payment"),
    ],
)
def test_fires(text: str, detector: str) -> None:
    assert detector in detectors(text)


@pytest.mark.parametrize(
    "text",
    [
        "A fake client asked me to interview on Telegram, I blocked him",
        "We need a Telegram bot for interview scheduling",
        "Is this a scam? They want my bank details",
        "the app charges a small fee per transaction, add it to the checkout",
        "I can guarantee delivery by Friday",
        "Hire me again anytime, it was great working with you",
        "I've set up the Direct Contract, the processing fee is fine for me.",
        "Upwork's processing fee went up this year.",
        "I'll fix it for free, that bug was mine.",
        "I can't access your Upwork profile, can you send the link?",
        "Please share your Upwork profile link so I can hire you.",
        "The photo's exposure is too dark, can you brighten it?",
        "We can't pay you before the milestone is funded, but it will be funded today.",
        "Update your payment method here: https://www.upwork.com/ab/payments",
        "How do I verify my account? The link in the email says bit.ly/xyz",
        "Please verify your account in Settings > Identity to get paid.",
        "I would never ask you to design it for free.",
        "Build an app that lets users rate products and earn loyalty points.",
        "If you enjoy the app, a rating in the store helps us a lot.",
        "I can connect with AnyDesk to fix the server once the contract starts.",
        "My Upwork profile photo does not load in the desktop app.",
        "You can use your account to apply for jobs once it is verified.",
        "Please open an account for me on the staging server so I can test the login.",
        "You won the poster contest, the prize money is released with the last milestone.",
        "We selected your draft for the next round, nice work.",
        "Congrats, we picked the winner of the naming poll: your second option.",
        "Can you send the signed form back by email?",
        "The balance of the milestone is released on Friday.",
        "Please check the balance on the dashboard before the release.",
        "I was in the hospital last week, sorry, the sketches are ready now.",
        "I'm in hospital until Monday, I'll check the PayPal integration then.",
        "I cannot meet in person but we can do a video call here.",
        "Watch out for messages like 'you have won a prize, claim your winnings here', they are a scam.",
    ],
)
def test_quiet(text: str) -> None:
    assert SCAM not in policies(text)


def test_a_fee_in_a_direct_contract_is_the_platforms() -> None:
    from scoring.text import TextContext

    text = "there's a small processing fee before you start"
    assert "scam_upfront_fee" in {h.detector for h in patterns(text)}
    assert "scam_upfront_fee" not in {h.detector for h in patterns(text, TextContext(direct_contract=True))}


def test_a_request_for_the_other_partys_account_details_is_a_scam_and_payment_outside() -> None:
    """Asking for the other party's bank or PayPal details shows both policies (MANIFEST.md's
    labelling: payment asked for or offered outside the platform)."""
    assert policies("send me your bank account details") == {SCAM, "off_platform_payment"}
    assert "off_platform_payment" in policies("please send me your PayPal information so I can pay")


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Our budget ran out, so could you edit the second video for free?", "scam_script.scam_free_work"),
        ("I'm stuck in the hospital this week, so I'll settle up with PayPal.", "scam_script.scam_hardship_payment"),
        ("We rent your Upwork account for $150 a month.", "scam_script.scam_account_rent"),
    ],
)
def test_a_self_evident_script_flags_whatever_the_model_says(text: str, family: str) -> None:
    """Scripts whose wording is the scam flag by themselves; their family leads the evidence."""
    from dataclasses import replace

    from scoring.text.detect import detect_text
    from scoring.text.model import packaged

    model = packaged()
    deaf = replace(model, version="deaf", bias=tuple(-20.0 for _ in model.bias))  # reads nothing as anything
    hits = [h for h in detect_text(text, model=deaf) if h.policy == SCAM]
    assert [h.detector for h in hits] == [family]
