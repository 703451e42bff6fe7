import random

import pytest

from scoring.derive import reply_notice
from scoring.detectors import fanout
from scoring.records import Proposal
from scoring.state import AccountState
from tests.unit.helpers import message, rules

RULE = rules().detector("first_message_fanout")
LIMIT = int(RULE.param("per_hour"))


def run(pairs, applicants=()):
    """First messages (ts, recipient) from f1; `applicants` applied to f1's jobs first. Each
    recipient answers the first message's reply notice from its own state, as the stream would."""
    sender, recipients, signals = AccountState(), {}, []
    for i, (ts, recipient) in enumerate(pairs):
        msg = message(i, ts, recipient=recipient)
        notices = reply_notice(sender, msg)
        fanout.on_message(sender, msg)
        for notice in notices:
            state = recipients.setdefault(recipient, AccountState())
            if recipient in applicants:
                fanout.on_proposal(state, Proposal(f"p-{recipient}", 0, "j1", recipient, "f1", "hello", 50.0))
            for cold in fanout.on_first_message(state, notice):
                assert (cold.kind, cold.subject_id, cold.other_id) == ("cold", "f1", recipient)
                signals += fanout.on_cold(sender, cold, RULE)
    return signals


@pytest.mark.parametrize(
    ("pairs", "fires"),
    [
        ([(i * 60_000, f"c{i}") for i in range(LIMIT)], False),
        ([(i * 60_000, f"c{i}") for i in range(LIMIT + 1)], True),
        ([(i * 60_000, f"c{i % 3}") for i in range(100)], False),  # many messages, three people
        ([(i * 400_000, f"c{i}") for i in range(LIMIT + 5)], False),  # spread over many hours
    ],
)
def test_fanout(pairs, fires):
    signals = run(pairs)
    assert bool(signals) is fires
    if fires:
        assert len(signals) == 1
        assert signals[0].counters[0].name == "first_messages_per_hour"
        assert signals[0].counters[0].value == LIMIT + 1
        assert signals[0].accounts == tuple(f"c{i}" for i in range(LIMIT + 1))  # every recipient, not the last


def test_a_busy_client_answering_its_own_applicants_is_not_fanout():
    pairs = [(i * 60_000, f"c{i}") for i in range(3 * LIMIT)]
    assert run(pairs, applicants=[f"c{i}" for i in range(3 * LIMIT)]) == []
    # and cold messages to people who did not apply still count, beside the applicants
    mixed = run(pairs, applicants=[f"c{i}" for i in range(0, 3 * LIMIT, 2)])
    assert [s.counters[0].value for s in mixed] == [LIMIT + 1]
    assert "had no contact with" in mixed[0].reason
    assert all(int(a[1:]) % 2 for a in mixed[0].accounts)  # the cold ones only, not the applicants


def test_only_a_first_message_asks_the_recipient():
    sender = AccountState()
    first, again = message(0, 0, recipient="c1"), message(1, 45 * 60_000, recipient="c1")
    notices = reply_notice(sender, first)
    fanout.on_message(sender, first)
    assert [n.detail for n in notices] == ["first"]
    later = reply_notice(sender, again)  # a new turn: a notice, but not a first message
    assert [n.detail for n in later] == [""]
    assert fanout.on_first_message(AccountState(), later[0]) == []


def test_a_day_of_first_messages_under_the_hourly_limit_goes_over_the_daily_one():
    per_day = int(RULE.param("per_day"))
    pairs = [(i * 1_200_000, f"c{i}") for i in range(per_day + 1)]  # three new people an hour
    signals = run(pairs)
    assert [s.counters[0].name for s in signals] == ["first_messages_per_day"]
    assert signals[0].counters[0].value == per_day + 1 and signals[0].counters[0].window_s == 86_400
    assert run(pairs[:-1]) == []


def test_cold_answers_read_in_any_order_still_cross_once():
    """Recipients are in other partitions: their answers come back in any order."""
    sender, colds = AccountState(), []
    for i in range(LIMIT + 1):
        msg = message(i, i * 120_000, recipient=f"c{i}")
        for notice in reply_notice(sender, msg):
            colds += fanout.on_first_message(AccountState(), notice)
        fanout.on_message(sender, msg)
    signals = [s for cold in reversed(colds) for s in fanout.on_cold(sender, cold, RULE)]
    assert [s.counters[0].value for s in signals] == [LIMIT + 1]


def test_a_cold_answer_delivered_twice_counts_once():
    sender, signals = AccountState(), []
    for i in range(LIMIT):
        msg = message(i, i * 60_000, recipient=f"c{i}")
        (notice,) = reply_notice(sender, msg)
        fanout.on_message(sender, msg)
        (cold,) = fanout.on_first_message(AccountState(), notice)
        signals += fanout.on_cold(sender, cold, RULE) + fanout.on_cold(sender, cold, RULE)  # re-delivered
    assert signals == []  # LIMIT distinct people: at the limit, not over it


def answers(pairs, applicants=()):
    """The sender's state after its first messages, and the recipients' answers, in order."""
    sender, out = AccountState(), []
    for i, (ts, recipient) in enumerate(pairs):
        msg = message(i, ts, recipient=recipient)
        notices = reply_notice(sender, msg)
        fanout.on_message(sender, msg)
        for notice in notices:
            state = AccountState()
            if recipient in applicants:
                fanout.on_proposal(state, Proposal(f"p-{recipient}", 0, "j1", recipient, "f1", "hello", 50.0))
            out += fanout.on_first_message(state, notice)
    return sender, out


@pytest.mark.parametrize("seed", range(5))
def test_the_finding_is_the_same_whatever_order_the_answers_arrive_in(seed):
    pairs = [(i * 60_000, f"c{i}") for i in range(3 * LIMIT)]
    found = set()
    for order in ("in order", "shuffled"):
        sender, colds = answers(pairs, applicants=[f"c{i}" for i in range(0, 3 * LIMIT, 3)])
        if order == "shuffled":
            random.Random(seed).shuffle(colds)
        found.add(tuple((s.event_id, s.ts, s.reason) for c in colds for s in fanout.on_cold(sender, c, RULE)))
    assert len(found) == 1 and len(next(iter(found))) == 1


def test_a_finding_waits_for_the_answers_of_earlier_messages_in_its_window():
    sender, colds = answers([(i * 60_000, f"c{i}") for i in range(LIMIT + 2)])
    first, rest = colds[0], colds[1:]
    assert [s for c in rest for s in fanout.on_cold(sender, c, RULE)] == []  # c0's answer still awaited
    (found,) = fanout.on_cold(sender, first, RULE)
    assert found.event_id == f"m{LIMIT}" and found.ts == LIMIT * 60_000  # the 13th message: c0 was cold


def test_an_applicant_who_applied_to_many_jobs_since_still_answers_applied():
    state = AccountState()
    fanout.on_proposal(state, Proposal("p0", 0, "j0", "f1", "c-busy", "hello", 50.0))
    for i in range(200):
        fanout.on_proposal(state, Proposal(f"p{i + 1}", i, f"j{i + 1}", "f1", f"c{i}", "hello", 50.0))
    notice = reply_notice(AccountState(), message(0, 0, sender="c-busy", recipient="f1"))[0]
    assert [a.detail for a in fanout.on_first_message(state, notice)] == [fanout.APPLIED]
    assert len(state.applied_to) <= 10 * 256


def test_a_proposal_read_after_its_question_corrects_the_cold_answer():
    """The recipient's proposals topic was behind: it answered cold, then read a proposal made
    before the message. The sender's count ends as if it had been read in time."""
    sender, recipient = AccountState(), AccountState()
    msg = message(0, 600_000, sender="c1", recipient="f9")
    (notice,) = reply_notice(sender, msg)
    fanout.on_message(sender, msg)
    (cold,) = fanout.on_first_message(recipient, notice)
    assert cold.detail == "" and fanout.on_cold(sender, cold, RULE) == []
    assert sender.firsts["f9"][1] == fanout.COLD
    late = Proposal("p-late", 60_000, "j1", "f9", "c1", "hello", 50.0)  # made before the message
    (correction,) = fanout.on_proposal(recipient, late)
    assert (correction.detail, correction.event_id, correction.subject_id) == (fanout.APPLIED, "m0", "c1")
    fanout.on_cold(sender, correction, RULE)
    assert sender.firsts == {}
    assert fanout.on_proposal(recipient, late) == []  # corrected once


def test_a_proposal_made_after_the_first_message_does_not_answer_it():
    recipient = AccountState()
    fanout.on_proposal(recipient, Proposal("p1", 900_000, "j1", "f9", "c1", "hello", 50.0))
    (notice,) = reply_notice(AccountState(), message(0, 600_000, sender="c1", recipient="f9"))
    assert [a.detail for a in fanout.on_first_message(recipient, notice)] == [""]


@pytest.mark.parametrize("late", [False, True])
def test_the_state_ends_the_same_when_an_answer_comes_days_late(late):
    """A sender's own messages run a day ahead of the answers (the re-keyed topic behind)."""
    day = 86_400_000
    sender, _ = told([(0, "c0"), (60_000, "c1"), (5 * day // 2, "c2")], late)
    assert list(sender.firsts) == ["c2"] and sender.first_horizon is None


def test_the_cold_ones_kept_are_the_newest_whatever_order_they_were_answered_in():
    pairs = [(i * 10_000, f"c{i:03d}") for i in range(100)]
    kept = set()
    for seed in range(3):
        sender, colds = answers(pairs)
        random.Random(seed).shuffle(colds)
        for cold in colds:
            fanout.on_cold(sender, cold, RULE)
        kept.add((tuple(sorted(sender.firsts)), sender.first_horizon))
    assert len(kept) == 1
    (names, horizon), = kept
    assert names == tuple(f"c{i:03d}" for i in range(36, 100)) and horizon == 35 * 10_000


def told(pairs, late: bool) -> tuple[AccountState, list]:
    """The sender of first messages `pairs`, each answered cold at once or all after the last,
    and its signals."""
    sender, held, signals = AccountState(), [], []
    for i, (ts, recipient) in enumerate(pairs):
        msg = message(i, ts, recipient=recipient)
        notices = reply_notice(sender, msg)
        fanout.on_message(sender, msg)
        held += [c for n in notices for c in fanout.on_first_message(AccountState(), n)]
        if not late:
            signals += [s for c in held for s in fanout.on_cold(sender, c, RULE)]
            held = []
    signals += [s for c in held for s in fanout.on_cold(sender, c, RULE)]
    return sender, signals


def crossings(pairs, late: bool) -> list[tuple[str, int]]:
    return [(s.event_id, s.ts) for s in told(pairs, late)[1]]


def test_a_crossing_is_found_when_the_answers_come_days_behind_the_senders_messages():
    day = 86_400_000
    pairs = [(i * 60_000, f"c{i}") for i in range(LIMIT + 1)] + [(d * day // 2, f"d{d}") for d in range(1, 6)]
    assert crossings(pairs, late=True) == crossings(pairs, late=False) == [(f"m{LIMIT}", LIMIT * 60_000)]


def test_an_answer_never_coming_is_given_up_and_the_crossings_after_it_are_decided():
    """One recipient's answer is lost: the crossings after its message wait for it, up to
    `AWAIT_MS` behind the newest first message, then are decided as if it never was."""
    hour = 3_600_000
    sender, signals = AccountState(), []
    pairs = ([(0, "lost")] + [(10 * hour + i * 60_000, f"a{i}") for i in range(LIMIT + 1)]
             + [(40 * hour + i * 60_000, f"b{i}") for i in range(LIMIT + 1)])
    for i, (ts, recipient) in enumerate(pairs + [(fanout.AWAIT_MS + hour, "later")]):
        msg = message(i, ts, recipient=recipient)
        notices = reply_notice(sender, msg)
        fanout.on_message(sender, msg)
        if recipient != "lost":
            signals += [s for n in notices for c in fanout.on_first_message(AccountState(), n)
                        for s in fanout.on_cold(sender, c, RULE)]
        if i == len(pairs) - 1:
            assert signals == []  # waiting for the lost answer
    assert [(s.event_id, s.ts) for s in signals] == [
        (f"m{LIMIT + 1}", 10 * hour + LIMIT * 60_000), (f"m{2 * LIMIT + 2}", 40 * hour + LIMIT * 60_000)]
    assert "lost" not in sender.firsts and sender.first_horizon == 0


def test_no_second_finding_within_a_day_of_the_last():
    hour = 3_600_000
    burst = [(i * 60_000, f"a{i}") for i in range(LIMIT + 1)]
    again = [(2 * hour + i * 60_000, f"b{i}") for i in range(LIMIT + 1)]
    next_day = [(26 * hour + i * 60_000, f"n{i}") for i in range(LIMIT + 1)]
    found = crossings(burst + again + next_day, late=False)
    assert found == crossings(burst + again + next_day, late=True)
    assert found == [(f"m{LIMIT}", LIMIT * 60_000), (f"m{3 * LIMIT + 2}", 26 * hour + LIMIT * 60_000)]


def test_answered_messages_waiting_behind_a_late_answer_are_not_dropped_for_room():
    """More cold first messages than `MAX_FIRSTS` pile up behind one late answer: they are kept
    until decided, so the crossings are those of the answers told in time."""
    hour = 3_600_000
    bursts = [(start * hour + i * 60_000, f"r{start}-{i}") for start in (10, 40, 70) for i in range(30)]
    pairs = [(0, "first")] + bursts
    in_time = crossings(pairs, late=False)
    sender, signals, late = AccountState(), [], []
    for i, (ts, recipient) in enumerate(pairs):
        msg = message(i, ts, recipient=recipient)
        notices = reply_notice(sender, msg)
        fanout.on_message(sender, msg)
        answers = [c for n in notices for c in fanout.on_first_message(AccountState(), n)]
        if recipient == "first":
            late += answers
        else:
            signals += [s for c in answers for s in fanout.on_cold(sender, c, RULE)]
    signals += [s for c in late for s in fanout.on_cold(sender, c, RULE)]
    assert [(s.event_id, s.ts) for s in signals] == in_time and len(in_time) == 3


def test_a_freelancer_invited_first_is_no_cold_outreach_and_one_invited_after_is():
    from scoring.records import ContractEvent

    def invite(i, ts, actor="f1"):
        return ContractEvent(f"inv{i}", ts, "invite", f"k{i}", "job-1", "f1", f"c{i}", actor)

    sender = AccountState()
    fanout.on_contract(sender, invite(0, 0))
    fanout.on_contract(sender, invite(1, 0, actor="c1"))  # not the client's own invitation
    fanout.on_contract(sender, invite(2, 120_000))  # invited after the message below
    for i in range(3):
        fanout.on_message(sender, message(i, 60_000, recipient=f"c{i}"))
    assert sorted(sender.firsts) == ["c1", "c2"]


def test_a_reply_answered_cold_before_the_recipients_own_earlier_message_was_read_is_corrected():
    """The recipient wrote first, but its message is read after the reply's notice (its topic
    behind): the cold answer is corrected to "applied", as a proposal read late corrects it."""
    from scoring.records import SubjectEvent

    recipient = AccountState()
    notice = SubjectEvent("m-reply", 120_000, "replied", "c1", "unknown", "", "f1", room_id="r", detail="first")
    (cold,) = fanout.on_first_message(recipient, notice)
    assert cold.detail == ""  # nothing known yet: cold
    earlier = message(9, 60_000, sender="c1", recipient="f1")  # c1 wrote to f1 before the reply
    (fixed,) = fanout.on_message_told(recipient, earlier)
    assert (fixed.event_id, fixed.subject_id, fixed.other_id, fixed.detail) == ("m-reply", "f1", "c1", "applied")
    assert fanout.on_message_told(recipient, message(10, 180_000, sender="c1", recipient="f1")) == []  # once
