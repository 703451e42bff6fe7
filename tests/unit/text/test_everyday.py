"""Everyday text that shares words with a threat, a contact ask or software talk stays unflagged,
and software talk's words do not hide a payment ask next to a date."""

import pytest

from scoring.text.detect import analyze

PAY = "off_platform_payment"


@pytest.mark.parametrize(
    "text",
    [
        # a threat's or a lawsuit's words, said in good faith
        "Congratulations, your family will love the new house design.",
        "My lawyer will contact you to sign the NDA before we start.",
        "My attorney will call you tomorrow to go over the purchase contract.",
        "See you in court on Monday for the hearing, I'll bring the exhibits.",
        # numbers spelt out that are no phone number
        "Count: one two three four five six seven eight nine ten.",
        # a warning reported or refused, not made
        "Some buyers write I will sue you when a file is late; the help center explains what to do.",
        "In the help center article, angry buyers write we will take you to court, and support explains the "
        "refund steps.",
        "I'd never write I will sue you to a freelancer over a late file.",
        "they always write you are a fraud in the reviews, ignore it",
        # the speaker's own negated intent: a reassurance, a denial, a refusal
        "I'm not going to leave you a bad review, don't stress about it.",
        "I won't give you a bad rating, stop asking me about it.",
        "I refuse to give 5 stars for work that isn't finished, sorry, but I'll update it once it's done.",
        "I never told anyone you were a scammer.",
        "Don't listen to anyone who says you're a bad designer.",
        "I didn't say your work was garbage, I said the export was corrupted.",
        "No, I won't pay for training materials to get this job.",
        # a footnote asterisk is no masked f-word
        "Thanks, you fixed** it. (**on the staging server only)",
        # form instructions that name contact details
        "Please register on the site with your contact information so the courier can reach you.",
        "Fill in the shipping label with your contact details.",
        "Complete your profile with your contact info before the first milestone.",
    ],
)
def test_everyday_text_is_not_flagged(text: str) -> None:
    hits = analyze(text).hits
    assert not hits, [(h.policy, h.detector) for h in hits]


@pytest.mark.parametrize("date", ["", " Deadline is 12.05.2026."])
def test_a_date_does_not_hide_a_payment_ask(date: str) -> None:
    text = "Send me your bank details so I can transfer the balance." + date
    assert PAY in {h.policy for h in analyze(text).hits}
