"""Every bad behaviour of DOMAIN.md that the behaviour detectors own, as a story that must
escalate the right policy with evidence a reviewer can read: the counters with their windows
and thresholds, the shared fingerprints, the accounts and contracts of a ring."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.scenarios.story import DAY_MIN, HOUR_MIN, Story, pair


def shared_laptop() -> Story:
    """One person, two freelancer accounts, one laptop."""
    s = Story()
    s.signup(0, "f-one", "freelancer", device="dev-laptop-9")
    s.signup(3 * DAY_MIN, "f-two", "freelancer", device="dev-laptop-9")
    return s


def shared_phone() -> Story:
    s = Story()
    s.signup(0, "f-one", "freelancer", phone="ph-555")
    s.signup(DAY_MIN, "f-two", "freelancer", phone="ph-555")
    return s


def sold_login() -> Story:
    """One account used from four countries within a day."""
    s = Story()
    s.signup(0, "f-sold", "freelancer", country="US")
    for i, country in enumerate(("US", "VN", "NG", "UA")):
        s.account(DAY_MIN + i * 4 * HOUR_MIN, "f-sold", "freelancer", country=country, device=f"dev-{country}")
    return s


def relative_hired() -> Story:
    """A client hires a relative on the family PC and they rate each other 5 stars."""
    s = Story()
    s.signup(0, "c-aunt", "client", device="dev-family-pc")
    s.signup(2 * DAY_MIN, "f-niece", "freelancer", device="dev-family-pc")
    s.job_done(3 * DAY_MIN, "k-fam", "c-aunt", "f-niece", hours=3)
    return s


def household_hire() -> Story:
    """Relatives under one roof (home IP, surname and home), one hiring the other."""
    s = Story()
    s.signup(0, "c-dad", "client", ip="ip-home", family="fam-lee-austin")
    s.signup(DAY_MIN, "f-son", "freelancer", ip="ip-home", family="fam-lee-austin")
    s.job_done(2 * DAY_MIN, "k-home", "c-dad", "f-son", hours=2)
    return s


def client_linked_to_ten_freelancers() -> Story:
    """A client's family PC is also the device of ten freelancer accounts (relatives, cousins,
    friends dropping by); the client invites the first of them, hires within the hour and rates
    5 stars the same day (DOMAIN: new client -> invite -> hire -> 5 stars within hours)."""
    s = Story()
    s.signup(0, "c-uncle", "client", device="dev-family-pc")
    kin = [f"f-kin{i}" for i in range(10)]
    for i, f in enumerate(kin):
        s.signup(60 + i * 60, f, "freelancer", device="dev-family-pc")
    at = DAY_MIN
    s.contract(at, "invite", "k-kin", "c-uncle", "f-kin0")
    s.proposal(at + 10, "f-kin0", "c-uncle", "job-k-kin", "Happy to help, thanks for the invite.")
    s.job_done(at + 30, "k-kin", "c-uncle", "f-kin0", hours=4)
    return s


def ring_of_three() -> Story:
    """Three accounts hire one another in turn, short jobs, 5 stars both ways; no shared fingerprint."""
    s = Story()
    for who in ("a-ring", "b-ring", "c-ring"):
        s.signup(0, who, "freelancer")
    for i, (client, freelancer) in enumerate((("a-ring", "b-ring"), ("b-ring", "c-ring"), ("c-ring", "a-ring"))):
        s.job_done(DAY_MIN + i * DAY_MIN, f"k-r{i}", client, freelancer, hours=2)
    return s


def ring_with_a_four_star_leg() -> Story:
    """A ring of three where one member gives 4 stars instead of 5 on one leg: still high
    ratings traded on short contracts in a closed loop (DOMAIN: reciprocal-feedback deals)."""
    s = Story()
    for who in ("a-ring", "b-ring", "c-ring"):
        s.signup(0, who, "freelancer")
    legs = (("a-ring", "b-ring", (5, 5)), ("b-ring", "c-ring", (5, 4)), ("c-ring", "a-ring", (5, 5)))
    for i, (client, freelancer, stars) in enumerate(legs):
        s.job_done(DAY_MIN + i * DAY_MIN, f"k-r{i}", client, freelancer, stars=stars, hours=3)
    return s


def your_turn() -> Story:
    """Two accounts trade jobs: one hires the other, then the other way round."""
    s = Story()
    s.signup(0, "x-swap", "freelancer")
    s.signup(0, "y-swap", "freelancer")
    s.job_done(DAY_MIN, "k-s1", "x-swap", "y-swap", hours=1)
    s.job_done(3 * DAY_MIN, "k-s2", "y-swap", "x-swap", hours=1)
    return s


def poor_client() -> Story:
    """Past freelancers rate a client poorly, contract after contract (seed 004)."""
    s = Story()
    s.signup(0, "c-poor", "client")
    for i, stars in enumerate((2, 1, 3, 2)):
        s.signup(0, f"f{i}", "freelancer")
        s.job_done(i * 4 * DAY_MIN + 60, f"k{i}", "c-poor", f"f{i}", stars=(4, stars))
    return s


def poor_client_over_weeks() -> Story:
    """Freelancers rate a client 1-2 stars contract after contract, over three weeks."""
    s = Story()
    s.signup(0, "c-poor", "client")
    for i, stars in enumerate((2, 1, 2, 2, 1, 2, 2)):
        s.signup(0, f"f{i}", "freelancer")
        s.job_done(i * 3 * DAY_MIN + 60, f"k{i}", "c-poor", f"f{i}", stars=(4, stars))
    return s


def low_quality() -> Story:
    s = Story()
    s.signup(0, "f-weak", "freelancer")
    for i, stars in enumerate((1, 2, 5, 1, 2)):
        s.signup(0, f"c{i}", "client")
        s.job_done(i * 3 * DAY_MIN + 60, f"k{i}", f"c{i}", "f-weak", stars=(stars, 4))
    return s


def cold_fanout() -> Story:
    """First messages to thirty clients within an hour, none of whom it applied to or heard from."""
    s = Story()
    s.signup(0, "f-spray", "freelancer")
    for i in range(30):
        s.message(60 + i * 2, "f-spray", f"c{i:02d}", "Hello, I can help with your project.")
    return s


def burst_across_a_minute() -> Story:
    """16 messages in 45 seconds from hh:mm:30, across a calendar-minute boundary."""
    s = Story()
    s.signup(0, "f-burst", "freelancer")
    for i in range(16):
        s.message(60.5 + i * 0.05, "f-burst", "c1", "Hello?")
    return s


def hire_me_daily() -> Story:
    """'Hire me' messages twice a day to a client who never answers, before any contract."""
    s = pair("c-silent", "f-pushy")
    for day in range(5):
        for h in (9, 18):
            s.message(day * DAY_MIN + h * HOUR_MIN, "f-pushy", "c-silent", "Did you see my proposal?")
    return s


def repeated_requests() -> Story:
    """Asking for feedback again and again on one contract."""
    s = pair("c1", "f-nag")
    s.contract(60, "hire", "k1", "c1", "f-nag")
    s.contract(DAY_MIN, "end", "k1", "c1", "f-nag")
    for i in range(4):
        s.request(DAY_MIN + (i + 1) * 6 * HOUR_MIN, "k1", "f-nag", "c1", "Please leave feedback.")
    return s


# story, policy, accounts that must be escalated, words their evidence must hold
BAD: dict[str, tuple[Callable[[], Story], str, tuple[str, ...], tuple[str, ...]]] = {
    "two accounts on one laptop": (shared_laptop, "duplicate_account", ("f-two", "f-one"), ("device",)),
    "two accounts, one phone": (shared_phone, "duplicate_account", ("f-two", "f-one"), ("phone number",)),
    "a login used from four countries in a day": (sold_login, "duplicate_account", ("f-sold",),
                                                   ("3 countries within 24 hours", "shared or sold login")),
    "client hires a relative on the family PC": (relative_hired, "feedback_manipulation", ("c-aunt", "f-niece"),
                                                 ("device", "contract k-fam")),
    "a household hires its own": (household_hire, "feedback_manipulation", ("c-dad", "f-son"),
                                  ("surname and home location", "contract k-home")),
    "a client linked to ten freelancers hires one": (
        client_linked_to_ten_freelancers, "feedback_manipulation", ("c-uncle", "f-kin0"),
        ("device", "contract k-kin")),
    "rating ring of three with one 4-star leg": (
        ring_with_a_four_star_leg, "feedback_manipulation", ("a-ring", "b-ring", "c-ring"),
        ("closed loop", "a-ring hired b-ring (k-r0)", "b-ring hired c-ring (k-r1)", "c-ring hired a-ring (k-r2)",
         "4 stars or more both ways")),
    "rating ring of three, no shared fingerprint": (
        ring_of_three, "feedback_manipulation", ("a-ring", "b-ring", "c-ring"),
        ("a-ring hired b-ring (k-r0)", "b-ring hired c-ring (k-r1)", "c-ring hired a-ring (k-r2)")),
    "your turn: two accounts hire each other": (your_turn, "feedback_manipulation", ("x-swap", "y-swap"),
                                                ("rating ring of 2 accounts", "k-s1", "k-s2")),
    "client rated poorly by several freelancers": (poor_client, "client_risk", ("c-poor",),
                                                   ("3 past freelancers", "at or under 3.9")),
    "client rated poorly over weeks": (poor_client_over_weeks, "client_risk", ("c-poor",), ("past freelancers",)),
    "freelancer rated poorly again and again": (low_quality, "low_quality", ("f-weak",), ("of 1-2 stars",)),
    "first messages to thirty strangers in an hour": (cold_fanout, "spam_scam", ("f-spray",),
                                                      ("had no contact with", "within an hour")),
    "16 messages in 45 s across a minute boundary": (burst_across_a_minute, "spam_scam", ("f-burst",),
                                                     ("16 messages within 1 min",)),
    "daily hire-me messages, never answered": (hire_me_daily, "harassment", ("f-pushy",),
                                               ("has not replied",)),
    "feedback requested again and again": (repeated_requests, "feedback_manipulation", ("f-nag",), ("k1",)),
}


@pytest.mark.parametrize(("build", "policy", "accounts", "words"), BAD.values(), ids=BAD.keys())
def test_bad_behaviour_escalates_with_readable_evidence(
    build: Callable[[], Story], policy: str, accounts: tuple[str, ...], words: tuple[str, ...],
) -> None:
    replayed = build().replay()
    assert set(accounts) <= replayed.escalated(policy)
    for account in accounts:
        evidence = replayed.evidence(account, policy)
        assert all(item["reason"] and item["event_id"] for item in evidence)
        reasons = replayed.reasons(account, policy)
        for word in words:
            assert word in reasons, (account, reasons)
    # a counter reads as a threshold met: its value at or over the threshold it is printed with
    counted = [c for a in accounts for item in replayed.evidence(a, policy) for c in item["counters"]]
    assert all(0 <= c["threshold"] <= c["value"] for c in counted
               if not c["name"].endswith("_at_or_under")), counted
    assert all(c["value"] <= c["threshold"] for c in counted if c["name"].endswith("_at_or_under")), counted


def test_a_ring_reads_plainly() -> None:
    """The ring's evidence: its accounts and contracts, and counters with their window and threshold,
    none printed beside a threshold it did not have to meet."""
    replayed = ring_of_three().replay()
    for account in ("a-ring", "b-ring", "c-ring"):
        (item, *_) = replayed.evidence(account, "feedback_manipulation")
        assert "rating ring of 3 accounts" in item["reason"]
        assert item["counters"] == [{"name": "loop_contracts_rated_4_plus_both_ways", "value": 3,
                                     "window_s": 30 * 86_400, "threshold": 2}]


def test_a_poor_client_is_signalled_once_while_it_stays_poor() -> None:
    """client_risk is a standing finding: signalled when it becomes true, not at every new rating
    while it holds; delivering every event twice changes nothing."""
    for replayed in (poor_client_over_weeks().replay(), poor_client_over_weeks().replay(twice=True)):
        escalations = [e for e in replayed.escalations if "client_risk" in e.policies]
        signals = {item["event_id"] for e in escalations for item in e.evidence if item["policy"] == "client_risk"}
        assert [e.account_id for e in escalations] == ["c-poor"] and len(signals) == 1, \
            [e.reasons for e in escalations]


def test_fanout_is_found_at_the_same_message_whatever_order_the_answers_arrive_in() -> None:
    """The recipients' answers come back from other partitions: read in order, or as a backlog
    shuffled, the finding is the same escalation (the same message, time, evidence and id)."""
    in_order = cold_fanout().replay()
    for seed in range(3):
        backlog = cold_fanout().replay_backlogged(seed)
        assert [e.to_dict() for e in backlog.escalations] == [e.to_dict() for e in in_order.escalations]
    (esc,) = in_order.escalations
    assert esc.evidence[0]["counters"][0]["value"] == 13  # the 13th stranger within the hour
    assert esc.trigger_event_id == esc.evidence[0]["event_id"]
