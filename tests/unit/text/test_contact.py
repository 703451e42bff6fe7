"""off_platform_contact: addresses, numbers, handles, euphemisms, split messages."""

import pytest

from scoring.text import TextContext, TextHit, contact_details
from scoring.text.detect import _held_to
from scoring.text.model import packaged
from tests.unit.text.conftest import patterns, policies

CONTACT = "off_platform_contact"


@pytest.mark.parametrize(
    "text",
    [
        "contact me over email: tom.baker@outlook.com",
        "email me at john dot smith at gmail dot com",
        "johnsmith[at]gmail[dot]com",
        "it's john at gmail",
        "my number is +1 917 555 1234",
        "call me 917.555.1234",
        "nine one seven five five five one two three four",
        "skype: live:.cid.3f2a9b1c7d",
        "my telegram @jsmith_dev",
        "whatsapp me",
        "same name on the green app",
        "find me on the blue bird app",
        "s k y p e me",
        "t.me/jsmith_dev",
        "let's continue this conversation outside upwork",
        "j o h n . s m i t h at g m a i l dot c o m",
        "mail me: b o b @ g m a i l . c o m",
        "I only communicate on WhatsApp, add me +1 555 123 4567",
        "Let's keep the conversation on WhatsApp, it's easier: +44 7700 900123",
        "Send me your email before the contract starts so we can discuss details.",
        "Let's chat on Telegram until the contract is ready, my handle is @dev_mike",
        "Anyone else on your team can email me at mike.dev@gmail.com",  # an aside that asks
        "The API docs are here, and my WhatsApp is +44 7700 900456 if you need anything.",  # their own
        "can you give me email address so we talk there",  # no "your"
        "pls send me ur skype id",
        "portfolio questions: jane@janedoe.design",  # a portfolio's own top-level domain
        "escríbeme: pedro.gomez@correo.es",
        "portfolio mail: jane [at] janedoe [dot] studio",
        "leave me your number and I'll call",  # asked with leave, pass, drop
        "Can you leave an email address? I can't find a way to contact you",
        "could you leave me a phone number so we can talk",
        "could you pass me your skype?",  # the ask may end in punctuation
        "send me email.",
        "Can you leave an email address?",
        "drop me a contact number",
        "Send me a phone number so I can call you.",
        "leave me your number 🙏",  # a symbol ends the ask
        "Can you leave your email or phone number?",
        "I put my WhatsApp in the description, message me there",
    ],
)
def test_fires(text: str) -> None:
    assert CONTACT in policies(text)


@pytest.mark.parametrize(
    "text",
    [
        "our app is a Skype clone",
        "add a WhatsApp share button",
        "The contact form sends to user@example.com in staging",
        "Phone validation fails for +44 20 7946 0958 on the signup form",
        "Sorry, I can't share my email before a contract",
        "I need someone to write email templates",
        "the price is 12,500 for the full build",
        "ticket #4471236 is reopened",
        "I'll send you my WhatsApp after the contract starts.",
        "I can share my number once the contract starts.",
        "Let's keep everything here on Upwork, thanks.",
        "For example, the regex should accept +1 917 555 0134 and reject 555-0134.",
        "What should I do if a client asks me to email them?",
        "Give me the number of revisions you want in the package.",
        "Tell me which email subject line you prefer for the campaign.",
        "The retina icon report@2x.png is missing from the build.",
        "I'm at the studio. design is done, I'll mail the invoice through Upwork",
        "Please send me email updates weekly on the progress.",
        "Please update the form with your contact details",
        "Count: one two three four five six seven eight nine ten.",  # a count, no phone number
        "I'm going to post your phone number online",  # a threat to expose, not a contact ask
        "Leave a number of revisions in the brief",
        "Provide an email template for the welcome flow",
        "I added my email to my account settings but the verification never arrived",
        "Thanks, I'll forward your email to our finance team",  # the message, not the address
        "I'll pass your email on to our accountant",
        "Please provide your number of working hours for this week",
        "Please provide your phone model and OS version",
        "Can the store provide a WeChat payment option for shoppers?",  # a product
        "The landing page should provide a contact number and a map",  # a specification
        "You put my number on the page instead of the office line, please swap them",  # not the speaker
        "Support says I put my email in the description",
        "Should I put my phone number in my portfolio?",
        "Leave your number of guests in the form",
        "Can you forward me your email? I want to see what the bank said",  # the message
        "Can two freelancer accounts share a phone number?",  # a household
        "Please provide your number i.e. how many logos you need",
        "Did you provide your email we sent the invoice to?",
        "support says: I put my email in the bio",
        "I'll send an email.",  # the speaker's act
        "Just give me a number.",  # a price
        "For the business card, should I leave your phone number and email on the back?",
        "Did you leave your number?",  # asked about, not asked for
        "For the exam you must leave your phone and notes outside the room.",  # the device
        "Please translate \"leave your phone number and we will call you back\" into Spanish.",  # quoted
        "Why did you say\nI left my number in your inbox?",
        "Upwork will ask you to provide your phone number.",  # the platform's form
        "Send us your email draft for the welcome sequence by Friday.",  # work, not a detail
        "Tell us your number one priority for this sprint.",
        "Closing line of the brochure: Leave us your number, we'll do the rest.",  # a client's copy
        "Leave your email now and save 15%.",
        "Keep the menu, leave your email, and remove the fax number from the footer.",  # layout
        "Voicemail greeting for the salon: please leave your number.",  # copy for a client
        "Popup copy for the bakery: Leave your email here, get a free croissant.",
    ],
)
def test_quiet(text: str) -> None:
    assert CONTACT not in policies(text)


@pytest.mark.parametrize("flag", ["contact_allowed", "direct_contract"])
def test_allowed_context_is_quiet(flag: str) -> None:
    text = "my email is maria.lopez@gmail.com"
    assert CONTACT in policies(text)
    assert CONTACT not in {h.policy for h in patterns(text, TextContext(**{flag: True}))}


@pytest.mark.parametrize(
    ("text", "span_text"),
    [
        ("write to mark.devlin88@gmail.com today", "mark.devlin88@gmail.com"),
        ("my cell: 917-555-1234 ok", "917-555-1234"),
        ("mail: anna (at) protonmail (dot) com", "anna (at) protonmail (dot) com"),
        ("could you leave me your email so I can send the brief", "could you leave me your email"),  # not the end
    ],
)
def test_span_points_at_original(text: str, span_text: str) -> None:
    spans = [text[s:e] for h in patterns(text) if h.policy == CONTACT for s, e in h.spans]
    assert span_text in spans


@pytest.mark.parametrize(
    ("previous", "text", "tail"),
    [
        (("email me", "rachel.m.dev"), "@gmail.com", "@gmail.com"),
        (("my number", "917 555"), "1234", "1234"),
        (("9 1 7", "5 5"), "5 1 2 3 4", "5 1 2 3 4"),
        (("call me on", "555 123"), "４５６７ thanks", "４５６７"),
    ],
)
def test_split_across_messages(previous: tuple[str, ...], text: str, tail: str) -> None:
    assert CONTACT not in policies(text)
    hits = [h for h in patterns(text, TextContext(previous=previous)) if h.detector == "contact_split"]
    assert hits
    s, e = hits[0].spans[0]
    assert text[s:e] == tail


def test_split_not_blamed_on_unrelated_message() -> None:
    context = TextContext(previous=("my number is +1 917 555 1234",))
    assert patterns("thanks, talk soon", context) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("j o h n . s m i t h at g m a i l dot c o m", "j o h n . s m i t h at g m a i l dot c o m"),
        ("write to j.smith at g m a i l . c o m please", "j.smith at g m a i l . c o m"),
    ],
)
def test_spaced_letters_are_joined_and_the_span_is_the_original(text: str, span: str) -> None:
    (hit,) = [h for h in patterns(text) if h.detector == "contact_email_spelled"]
    assert [text[s:e] for s, e in hit.spans] == [span]


def test_spaced_letters_without_an_address_are_quiet() -> None:
    assert CONTACT not in policies("the a b c of logo design, step by step")


def test_a_contact_move_the_speaker_reports_in_a_quotation_is_not_theirs() -> None:
    reported = ("Careful: I was sent 'Our manager will interview you on Telegram: @hr_recruit.' "
                "I reported him to support.")
    assert not any(h.detector == "contact_messenger" for h in patterns(reported))
    own = "Our manager will interview you on Telegram, write to him there."
    assert any(h.detector == "contact_messenger" for h in patterns(own))


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("count with me: one two three four five six seven eight", "one two three four five six seven eight"),
        ("nine eight seven six five four three, liftoff", "nine eight seven six five four three"),
        ("my cell is nine one seven five five five one two three four", None),
        ("one two three four, that's it", None),  # too short to be a number either way
    ],
)
def test_a_count_spelled_out_is_no_number(text: str, count: str | None) -> None:
    found = [text[lo:hi] for lo, hi in contact_details.counts(text)]
    assert found == ([count] if count else [])


@pytest.mark.parametrize(
    ("words", "held"),
    [
        (("nine", "six", "four"), False),  # every word the flag quotes is in the count
        (("nine", "me"), True),  # "me" is not: the flag stands
    ],
)
def test_a_contact_flag_on_the_words_of_a_count_alone_is_dropped(words: tuple[str, ...], held: bool) -> None:
    text = "count with me: one two three four five six seven eight nine"
    spans = tuple((text.index(f" {w}") + 1, text.index(f" {w}") + 1 + len(w)) for w in words)
    hit = TextHit(CONTACT, "contact_wording.model", 0.6, spans, "moves the conversation off the platform")
    assert _held_to(text, hit, TextContext(), packaged()) is held
