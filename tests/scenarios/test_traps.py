"""Every trap of DOMAIN.md as a story that must not escalate its policy.

Each story is what an honest marketplace does, written from DOMAIN.md and the seeds (not from
the detectors' thresholds), and replayed through the backtest's code path. The bad behaviours
they resemble are in `test_bad_behaviour.py`, so each pair shows where the line is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from tests.scenarios.story import DAY_MIN, HOUR_MIN, Story, default_rules, pair


def household() -> Story:
    """Relatives under one roof freelance from their own laptops: one home IP, one surname and
    home; none of them hires another."""
    s = Story()
    for i, who in enumerate(("f-ana", "f-ben", "f-cy")):
        s.signup(i, who, "freelancer", ip="ip-home", family="fam-okafor-leeds", payment=f"pay-{who}")
        for day in range(1, 6):
            s.account(day * DAY_MIN + i * 30, who, "freelancer", ip="ip-home", family="fam-okafor-leeds",
                      device=f"dev-{who}", country="GB")
    s.signup(0, "c-mum", "client", ip="ip-home", family="fam-okafor-leeds")  # posts jobs, hires strangers
    s.signup(0, "f-out", "freelancer")
    s.job_done(2 * DAY_MIN, "k-mum", "c-mum", "f-out")
    return s


def first_time_client() -> Story:
    """seeds/003: an acquaintance joins as a client, invites the freelancer who told him about
    the platform, hires within the hour and rates 5 stars the same day. They share nothing."""
    s = Story()
    s.signup(0, "f-ravi", "freelancer", country="IN")
    s.signup(3 * DAY_MIN, "c-new", "client", country="US")
    at = 3 * DAY_MIN + 20
    s.contract(at, "invite", "k1", "c-new", "f-ravi")
    s.proposal(at + 15, "f-ravi", "c-new", "job-k1", "Happy to help with the copyediting, thanks for the invite.")
    s.contract(at + 40, "offer", "k1", "c-new", "f-ravi")
    s.job_done(at + 50, "k1", "c-new", "f-ravi", hours=5)
    return s


def client_five_five_one() -> Story:
    """One unhappy freelancer among three: 5, 5 and 1."""
    s = Story()
    s.signup(0, "c-kim", "client")
    for i, stars in enumerate((5, 5, 1)):
        s.signup(0, f"f{i}", "freelancer")
        s.job_done(i * 3 * DAY_MIN + 60, f"k{i}", "c-kim", f"f{i}", stars=(5, stars))
    return s


def new_client_one_rating() -> Story:
    """A new client with no history: its first freelancer was unhappy."""
    s = pair("c-first", "f1")
    s.job_done(60, "k1", "c-first", "f1", stars=(4, 1))
    return s


def busy_client_answers_applicants(elsewhere: int = 0, answered: int = 40, minutes_apart: int = 1) -> Story:
    """A client posts a job; forty freelancers apply overnight, each going on to apply to
    `elsewhere` other jobs, as busy freelancers do; next morning the client writes to `answered`
    of them."""
    s = Story()
    s.signup(0, "c-busy", "client")
    applicants = [f"f{i:02d}" for i in range(40)]
    for i, f in enumerate(applicants):
        s.signup(i, f, "freelancer")
        s.proposal(60 + i * 10, f, "c-busy", "job-1", f"I have built {i + 3} dashboards like this one; "
                   f"my approach would start from your data model, number {i}.")
        for j in range(elsewhere):
            s.proposal(500 + i * 10 + j * 20, f, f"c-other-{i}-{j}", f"job-{i}-{j}",
                       f"For your shop number {j} I would begin with the product feed, then item {i}.")
    for i, f in enumerate(applicants[:answered]):
        s.message(DAY_MIN + i * minutes_apart, "c-busy", f, "Thanks for applying. Are you free for a call this week?")
    return s


def active_contract_updates() -> Story:
    """A freelancer posts daily work updates on an active contract; the client reads, rarely writes."""
    s = pair("c-quiet", "f-diligent")
    s.contract(60, "hire", "k1", "c-quiet", "f-diligent")
    for day in range(8):
        for h in (9, 17):
            s.message(day * DAY_MIN + h * HOUR_MIN, "f-diligent", "c-quiet", f"Update day {day}: tests pass.", "active")
    return s


def agency() -> Story:
    """An agency of six real members in one office: one IP, each their own laptop and payout."""
    s = Story()
    members = [f"f-ag{i}" for i in range(6)]
    for i, m in enumerate(members):
        s.signup(i, m, "freelancer", ip="ip-agency-office", payment=f"pay-{m}")
    for day in range(4):
        for i, m in enumerate(members):
            s.account(day * DAY_MIN + 8 * HOUR_MIN + i, m, "freelancer", ip="ip-agency-office", device=f"dev-{m}")
            s.proposal(day * DAY_MIN + 9 * HOUR_MIN + i * 7, m, f"c{day}{i}", f"job-{day}-{i}",
                       f"Our team has shipped {day + i + 2} mobile apps; for your booking app we would "
                       f"start with the calendar sync you describe (member {i}).")
    return s


TAILORED = [
    "I build Shopify stores. For your candle shop I would set up subscriptions and a scent quiz.",
    "I build Shopify stores. Your bike parts catalogue needs fitment filters by model and year.",
    "I build Shopify stores. For the bakery, local delivery slots and a pre-order cutoff at noon.",
    "I build Shopify stores. Your art prints need size variants and framing add-ons per print.",
    "I build Shopify stores. For the tea brand I would migrate the WooCommerce reviews first.",
    "I build Shopify stores. The pet shop's autoship discount fits a selling-plan app well.",
]


def template_with_tailoring() -> Story:
    """A freelancer's honest template: one opening line, then a real answer to each job."""
    s = Story()
    s.signup(0, "f-shop", "freelancer")
    for i, letter in enumerate(TAILORED):
        s.proposal(60 + i * 90, "f-shop", f"c{i}", f"job-{i}", letter)
    return s


def polite_reminder() -> Story:
    """One polite reminder to leave feedback, after the contract ended."""
    s = pair("c1", "f1")
    s.contract(60, "hire", "k1", "c1", "f1")
    s.contract(2 * DAY_MIN, "end", "k1", "c1", "f1")
    s.request(3 * DAY_MIN, "k1", "f1", "c1", "Thanks again for the project. Feedback is welcome when you have time.")
    return s


def why_three_stars() -> Story:
    """seed 001 allows it: asking a client why the rating was 3 stars."""
    s = pair("c1", "f1")
    s.job_done(60, "k1", "c1", "f1", stars=(3, 5))
    s.message(4 * DAY_MIN, "f1", "c1", "Thanks for the rating. What could I have done better on this project?", "ended")
    s.message(4 * DAY_MIN + 90, "c1", "f1", "The first draft was late, the rest was fine.", "ended")
    return s


def both_roles(role: str, as_client: int, as_freelancer: int) -> Story:
    """One account, x-both (signed up as `role`), hires four freelancers, who rate it `as_client`
    stars, and works for four clients, who rate it `as_freelancer` stars. An account can be both;
    its standing in one role says nothing of the other."""
    s = Story()
    s.signup(0, "x-both", role)
    for i in range(4):
        s.signup(0, f"f{i}", "freelancer")
        s.job_done(i * DAY_MIN + 60, f"kc{i}", "x-both", f"f{i}", stars=(5, as_client))
        s.signup(0, f"c{i}", "client")
        s.job_done(i * DAY_MIN + 600, f"kf{i}", f"c{i}", "x-both", stars=(as_freelancer, 5))
    return s


def one_low_rating_among_many(rated_as: str) -> Story:
    """Twelve contracts rated 5 stars but one rated 1: one bad review among many for a freelancer
    (f-pro), one unhappy freelancer among many for a client (c-big)."""
    s = Story()
    me, others = ("f-pro", "c") if rated_as == "freelancer" else ("c-big", "f")
    s.signup(0, me, rated_as)
    for i in range(12):
        other, stars = f"{others}{i}", 1 if i == 7 else 5
        s.signup(0, other, "client" if others == "c" else "freelancer")
        if rated_as == "freelancer":
            s.job_done(i * DAY_MIN + 60, f"k{i}", other, me, stars=(stars, 5))
        else:
            s.job_done(i * DAY_MIN + 60, f"k{i}", me, other, stars=(5, stars))
    return s


def contact_after_contract_starts() -> Story:
    s = pair("c1", "f1")
    s.contract(60, "hire", "k1", "c1", "f1")
    s.message(90, "c1", "f1", "Please send the design files to design.team@example.com when ready.", "active")
    s.message(120, "f1", "c1", "Will do, thanks.", "active")
    return s


def direct_contract() -> Story:
    """A Direct Contract between people who know each other: exempt from profile metrics."""
    s = Story()
    s.signup(0, "c-bro", "client", device="dev-family-pc")
    s.signup(5, "f-sis", "freelancer", device="dev-family-pc")
    s.contract(60, "direct_contract", "k1", "c-bro", "f-sis")
    s.message(70, "c-bro", "f-sis", "I set up the Direct Contract, the fee is on me.", "active", direct=True)
    s.rating(3 * DAY_MIN, "k1", "c-bro", "f-sis", "client", 5, "Great.", direct=True)
    s.rating(3 * DAY_MIN + 5, "k1", "f-sis", "c-bro", "freelancer", 5, "Great.", direct=True)
    return s


def traveller() -> Story:
    """A freelancer flies from London to Lisbon: two countries in a day, one laptop."""
    s = Story()
    s.signup(0, "f-away", "freelancer", country="GB", device="dev-laptop")
    s.account(DAY_MIN + 7 * HOUR_MIN, "f-away", "freelancer", country="GB", device="dev-laptop", ip="ip-lhr")
    s.account(DAY_MIN + 15 * HOUR_MIN, "f-away", "freelancer", country="PT", device="dev-laptop", ip="ip-lis")
    s.account(DAY_MIN + 16 * HOUR_MIN, "f-away", "freelancer", country="PT", device="dev-phone", ip="ip-lis")
    return s


def layover() -> Story:
    """A freelancer flies London to Singapore through Dubai on one laptop: three countries in a
    day, each left for the next."""
    s = Story()
    s.signup(0, "f-flying", "freelancer", country="GB", device="dev-laptop")
    for hour, country in ((6, "GB"), (8, "GB"), (15, "AE"), (17, "AE"), (23, "SG")):
        s.account(DAY_MIN + hour * HOUR_MIN, "f-flying", "freelancer", country=country, device="dev-laptop",
                  ip=f"ip-{country}")
    return s


def talk(lines: list[tuple[str, str, str]], stage: str = "pre_contract") -> Story:
    """A client c1 and a freelancer f1 saying `lines` ((sender, recipient, text)), ten minutes apart."""
    s = pair("c1", "f1")
    for i, (sender, recipient, text) in enumerate(lines):
        s.message(60 + i * 10, sender, recipient, text, stage)
    return s


def paypal_api_job() -> Story:
    """The job is integrating the PayPal API (DOMAIN trap)."""
    return talk([
        ("c1", "f1", "Our store needs the PayPal API integrated into checkout, with refunds handled by webhooks."),
        ("f1", "c1", "I have integrated the PayPal REST API and its webhooks before; I would start with the sandbox."),
    ])


def only_through_the_platform() -> Story:
    return talk([("f1", "c1", "Happy to start. I only accept payment through Upwork, milestones work well.")])


def refusing_an_off_platform_offer(answer: str = "I won't take PayPal, sorry. Please pay through the platform.",
                                   ) -> Story:
    """The client asks to pay outside; the freelancer refuses (the freelancer is the trap)."""
    return talk([
        ("c1", "f1", "Can I just pay you by PayPal instead? Saves us both the fees."),
        ("f1", "c1", answer),
    ])


def test_a_refusal_that_names_payment_outside_stays_quiet() -> None:
    refusal = "No thanks, I don't accept payment outside the platform. Let's keep it here."
    story = refusing_an_off_platform_offer(refusal)
    assert "f1" not in story.replay().escalated("off_platform_payment")


def direct_contract_fee_talk() -> Story:
    """The platform's own Direct Contracts and conversion fee are not paying outside it."""
    return talk([
        ("f1", "c1", "Since you came to me directly, we can use a Direct Contract on the platform."),
        ("c1", "f1", "Fine. Otherwise we would pay the conversion fee to work outside, right?"),
        ("f1", "c1", "Yes, the conversion fee is the platform's route for that; the Direct Contract is simpler."),
    ])


def skype_as_a_product() -> Story:
    return talk([
        ("c1", "f1", "The tool has to log call durations from Skype for Business and Microsoft Teams."),
        ("f1", "c1", "I have used the Skype for Business SDK; the call events give start and end times."),
    ])


def contact_form_bug() -> Story:
    """A bug report about a contact form quotes the address that breaks it (DOMAIN trap)."""
    return talk([
        ("c1", "f1", "Bug: our contact form rejects addresses with a plus, e.g. jane+test@example.com fails."),
        ("f1", "c1", "I see it, the validation regex drops the plus sign. I will fix the pattern and add a test."),
    ])


def allow_listed_client() -> Story:
    """An enterprise client, allow-listed in the rules, routes vendors to its procurement desk."""
    s = pair("c-corp", "f1")
    s.message(60, "c-corp", "f1", "Before we start, email our procurement desk at vendors@bigcorp.example "
              "or call +1 212 555 0188 to register as a supplier.")
    return s


def quoting_abuse_received() -> Story:
    return talk([("f1", "c1", "My last client wrote 'you are a useless idiot' when a file was late, so I "
                  "now agree milestones up front. Would weekly ones suit you?")])


def quoting_abuse_then_writing_on() -> Story:
    """The quoted insults in one sentence, the speaker's own friendly words in the next."""
    return talk([("f1", "c1", "The last client called me 'a complete idiot and a scammer' and said he would ruin "
                  "my reputation. I just want to move on and do good work for you.")])


def warning_about_a_scam_quoted() -> Story:
    """A freelancer warns a client about a scam script sent to them, quoting two sentences of it."""
    return talk([("f1", "c1", "Heads up: another 'client' messaged me 'Our manager will interview you on Telegram. "
                  "Please send your bank details so HR can set up your salary.' I reported him to support.")])


def new_client_invites_to_its_first_job() -> Story:
    """seeds/003 again: a new client posts its first job, invites fourteen freelancers to it within
    the hour (the platform's invitation), and writes to each one after inviting them."""
    s = Story()
    s.signup(0, "c-new", "client")
    for i in range(14):
        f = f"f-pro{i:02d}"
        s.signup(0, f, "freelancer")
        s.contract(HOUR_MIN + i * 3, "invite", f"k-inv{i}", "c-new", f, job="job-first")
        s.message(HOUR_MIN + i * 3 + 1, "c-new", f, "Hi, I invited you to my bookkeeping spreadsheet job. "
                  "Would you like to apply?")
    return s


def freelancer_answers_clients_who_wrote_first() -> Story:
    """Fourteen clients write to a freelancer about her proposals one evening; next morning she
    answers each of them, a few minutes apart."""
    s = Story()
    s.signup(0, "f-apply", "freelancer")
    for i in range(14):
        s.signup(0, f"c-p{i}", "client")
        s.message(20 * HOUR_MIN + i * 15, f"c-p{i}", "f-apply", "Thanks for your proposal, time for a call?")
    for i in range(14):
        s.message(DAY_MIN + 8 * HOUR_MIN + i * 3, "f-apply", f"c-p{i}", "Thanks! Tomorrow works.")
    return s


def freelancer_answers_invitations() -> Story:
    """Fourteen clients invite a sought-after freelancer to their jobs in a morning; she answers
    each invitation, two minutes apart."""
    s = Story()
    s.signup(0, "f-star", "freelancer")
    for i in range(14):
        s.signup(0, f"c-inv{i}", "client")
        s.contract(8 * HOUR_MIN + i * 10, "invite", f"k-inv{i}", f"c-inv{i}", "f-star", job=f"job-inv{i}")
    for i in range(14):
        s.message(11 * HOUR_MIN + i * 2, "f-star", f"c-inv{i}", "Thanks for the invite! Start on the 20th?")
    return s


def new_client_invites_with_notes() -> Story:
    """A new bakery posts its first job and invites eight freelancers, each with a short note about
    the project, the team and the budget; half of them answer."""
    s = Story()
    s.signup(0, "c-bakery", "client", country="AU")
    names = ["Maria", "Kwame", "Ayesha", "Tomasz", "Lina", "Diego", "Mei", "Sven"]
    notes = ["Hi {}, we are a team of 2 founders and need an online shop for a small bakery. Would you look at "
             "our job post?",
             "Hi {}, I liked your portfolio. Would you look at our online shop for a small bakery? Budget is 2000 USD.",
             "Hello {}! I invited you to our job, an online shop for a small bakery. Let me know if it interests you."]
    for i, name in enumerate(names):
        f = f"f-bake{i}"
        s.signup(0, f, "freelancer")
        s.contract(40 + i * 3, "invite", f"k-bake{i}", "c-bakery", f, job="job-site")
        s.message(41 + i * 3, "c-bakery", f, notes[i % 3].format(name))
        if i % 2 == 0:
            s.message(130 + i * 3, f, "c-bakery", "Thanks for the invite! I've sent a proposal with some questions.")
    return s


def swearing_about_a_tool() -> Story:
    return talk([("f1", "c1", "This damn build keeps failing on the CI server, fixing it now."),
                 ("f1", "c1", "Found it, a stupid typo in the config. The build is green.")], "active")


def heavy_chatters() -> Story:
    """A client and a freelancer chatting fast for days, every message answered."""
    s = pair("c-talk", "f-talk")
    for day in range(5):
        for i in range(40):
            at = day * DAY_MIN + 10 * HOUR_MIN + i * 0.25
            s.message(at, "c-talk", "f-talk", f"Question {i} about the spec.")
            s.message(at + 0.1, "f-talk", "c-talk", f"Sure, see point {i} in the doc.")
    return s


TRAPS: dict[str, tuple[Callable[[], Story], str, tuple[str, ...]]] = {
    "busy client answers applicants who applied to many other jobs": (
        lambda: busy_client_answers_applicants(elsewhere=20, answered=30, minutes_apart=2), "spam_scam", ("c-busy",)),
    "good client who freelances poorly: client risk": (lambda: both_roles("client", 5, 1), "client_risk",
                                                        ("x-both",)),
    "good freelancer who is a poor client: low quality": (lambda: both_roles("freelancer", 1, 5), "low_quality",
                                                          ("x-both",)),
    "one unhappy freelancer among many": (lambda: one_low_rating_among_many("client"), "client_risk", ("c-big",)),
    "a job about integrating the PayPal API": (paypal_api_job, "off_platform_payment", ("c1", "f1")),
    "I only accept payment through Upwork": (only_through_the_platform, "off_platform_payment", ("f1",)),
    "a freelancer refusing an off-platform offer": (refusing_an_off_platform_offer, "off_platform_payment", ("f1",)),
    "the platform's Direct Contracts and conversion fee": (direct_contract_fee_talk, "off_platform_payment",
                                                           ("c1", "f1")),
    "discussing Skype as a product": (skype_as_a_product, "off_platform_contact", ("c1", "f1")),
    "a contact-form bug that contains an address": (contact_form_bug, "off_platform_contact", ("c1", "f1")),
    "quoting abuse received": (quoting_abuse_received, "harassment", ("f1",)),
    "quoting abuse received, then writing on": (quoting_abuse_then_writing_on, "harassment", ("f1",)),
    "warning about a scam by quoting it": (warning_about_a_scam_quoted, "spam_scam", ("f1",)),
    "warning about a scam by quoting it: contact": (warning_about_a_scam_quoted, "off_platform_contact", ("f1",)),
    "new client invites freelancers to its first job and writes to them": (
        new_client_invites_to_its_first_job, "spam_scam", ("c-new",)),
    "freelancer answers the clients who wrote to her first": (freelancer_answers_clients_who_wrote_first,
                                                              "spam_scam", ("f-apply",)),
    "freelancer answers fourteen invitations": (freelancer_answers_invitations, "spam_scam", ("f-star",)),
    "new client's invitation notes about its project and budget": (new_client_invites_with_notes, "spam_scam",
                                                                     ("c-bakery",)),
    "swearing about a tool": (swearing_about_a_tool, "harassment", ("f1",)),
    "household sharing a home IP and surname": (household, "duplicate_account", ("f-ana", "f-ben", "f-cy")),
    "household member who is a client, no contract": (household, "feedback_manipulation", ("c-mum", "f-ana")),
    "first-time client hires and rates fast (seeds/003)": (first_time_client, "feedback_manipulation",
                                                          ("c-new", "f-ravi")),
    "client rated 5, 5 and 1": (client_five_five_one, "client_risk", ("c-kim",)),
    "new client with no history": (new_client_one_rating, "client_risk", ("c-first",)),
    "busy client writes to its applicants": (busy_client_answers_applicants, "spam_scam", ("c-busy",)),
    "work updates on an active contract": (active_contract_updates, "harassment", ("f-diligent",)),
    "agency with real members: duplicates": (agency, "duplicate_account", tuple(f"f-ag{i}" for i in range(6))),
    "agency with real members: spam": (agency, "spam_scam", tuple(f"f-ag{i}" for i in range(6))),
    "honest template with real tailoring": (template_with_tailoring, "spam_scam", ("f-shop",)),
    "one polite feedback reminder": (polite_reminder, "feedback_manipulation", ("f1",)),
    "asking why a rating was 3 stars": (why_three_stars, "feedback_manipulation", ("f1",)),
    "asking why a rating was 3 stars: harassment": (why_three_stars, "harassment", ("f1",)),
    "one bad review among many": (lambda: one_low_rating_among_many("freelancer"), "low_quality", ("f-pro",)),
    "contact shared after the contract starts": (contact_after_contract_starts, "off_platform_contact", ("c1",)),
    "direct contract between relatives": (direct_contract, "feedback_manipulation", ("c-bro", "f-sis")),
    "direct contract: duplicates": (direct_contract, "duplicate_account", ("c-bro", "f-sis")),
    "traveller in two countries in a day": (traveller, "duplicate_account", ("f-away",)),
    "traveller through a layover: three countries in a day": (layover, "duplicate_account", ("f-flying",)),
    "heavy chatters who answer each other: spam": (heavy_chatters, "spam_scam", ("c-talk", "f-talk")),
    "heavy chatters who answer each other: harassment": (heavy_chatters, "harassment", ("c-talk", "f-talk")),
}


@pytest.mark.parametrize(("build", "policy", "accounts"), TRAPS.values(), ids=TRAPS.keys())
def test_trap_stays_quiet(build: Callable[[], Story], policy: str, accounts: tuple[str, ...]) -> None:
    replayed = build().replay()
    flagged = replayed.escalated(policy) & set(accounts)
    assert not flagged, {a: replayed.reasons(a, policy) for a in flagged}


def test_allow_listed_client_stays_quiet() -> None:
    """DOMAIN: enterprise and allow-listed clients are not escalated for sharing contact details."""
    rules = default_rules()
    listed = dataclasses.replace(rules, exempt_accounts=frozenset({"c-corp"}))
    assert "c-corp" not in allow_listed_client().replay(listed).escalated("off_platform_contact")


@pytest.mark.parametrize("seed", range(3))
def test_replies_are_not_cold_outreach_whatever_order_the_notices_arrive_in(seed: int) -> None:
    """The account that wrote first learns of the reply from another partition: read as a shuffled
    backlog (an answer given before the account's own earlier message or invitation was read is
    corrected), the replies still escalate nothing."""
    for build, account in ((freelancer_answers_clients_who_wrote_first, "f-apply"),
                           (freelancer_answers_invitations, "f-star")):
        assert account not in build().replay_backlogged(seed).escalated("spam_scam")
