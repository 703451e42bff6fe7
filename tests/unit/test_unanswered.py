import pytest

from scoring.derive import reply_notice
from scoring.detectors import unanswered
from scoring.records import SubjectEvent
from scoring.state import MAX_STREAK_MESSAGES, AccountState
from tests.unit.helpers import message, rules

RULE = rules().detector("unanswered_messages")
N, DAYS = int(RULE.param("min_messages")), int(RULE.param("min_days"))
DAY, HOUR = 86_400_000, 3_600_000


def reply(ts: int) -> SubjectEvent:
    return SubjectEvent("r", ts, "replied", "f1", "unknown", "", "c1")


def run(items, recipient: AccountState | None = None):
    """items: ("m", ts) for a message f1 -> c1 ("a", ts: the same on an active contract), ("r", ts)
    for a reply from c1. The signals f1 gets once c1 (with state `recipient`) checked the streaks."""
    state, signals = AccountState(), []
    for i, (what, ts) in enumerate(items):
        if what in ("m", "a", "e"):
            stage = {"m": "pre_contract", "a": "active", "e": "ended"}[what]
            for check in unanswered.on_message(state, message(i, ts, stage=stage), RULE):
                assert (check.kind, check.subject_id, check.other_id) == ("unanswered_check", "c1", "f1")
                for answer in unanswered.on_check(recipient or AccountState(), check):
                    assert (answer.subject_id, answer.other_id) == ("f1", "c1")
                    if answer.kind == "replied":
                        unanswered.on_reply(state, answer)
                    else:
                        signals += unanswered.on_unanswered(state, answer, RULE)
        else:
            unanswered.on_reply(state, reply(ts))
    return signals


def daily(n: int, start: int = 0) -> list[tuple[str, int]]:
    return [("m", start + i * DAY // 2) for i in range(n)]


@pytest.mark.parametrize(
    ("items", "fires"),
    [
        (daily(2 * DAYS), True),  # twice a day for days, never answered
        (daily(N - 1) + [("m", 40 * DAY)], True),
        ([("m", i * 60_000) for i in range(3 * N)], False),  # all in one day
        (daily(N - 2) + [("r", DAY * 2 + HOUR)] + daily(N - 2, DAY * 3), False),  # answered
        (daily(3 * N), True),
        # work updates on an active contract to a quiet client
        ([("a", ts) for _, ts in daily(3 * N)], False),
        # updates while the contract ran, then pleading after it ended, never answered
        ([("a", ts) for _, ts in daily(N)] + [("e", ts) for _, ts in daily(2 * DAYS, 10 * DAY)], True),
    ],
)
def test_unanswered_streak(items, fires):
    signals = run(items)
    assert len(signals) == (1 if fires else 0)
    if fires:
        assert signals[0].policy == "harassment"
        assert "has not replied" in signals[0].reason


def test_reply_notice_once_per_turn():
    state = AccountState()
    first = reply_notice(state, message(0, 0))
    state.remember_contact("c1", 0)
    same_turn = reply_notice(state, message(1, 5 * 60_000))
    later = reply_notice(state, message(2, 2 * HOUR))
    assert [e.subject_id for e in first] == ["c1"] and same_turn == [] and len(later) == 1
    assert first[0].other_id == "f1" and first[0].kind == "replied"


def test_the_recipient_vetoes_a_streak_it_answered_whose_notice_is_still_on_its_way():
    # In a backlog, c1's reply on day 1 has not reached f1's state when the streak completes:
    # c1's own state knows it wrote to f1.
    c1 = AccountState()
    c1.remember_contact("f1", (DAY + HOUR) // 60_000)
    assert run(daily(2 * DAYS), recipient=c1) == []


def test_a_reply_from_before_the_streak_does_not_veto_it():
    c1 = AccountState()
    c1.remember_contact("f1", 0)
    assert len(run(daily(2 * DAYS, start=HOUR), recipient=c1)) == 1


def test_no_check_when_the_rule_is_off():
    state = AccountState()
    assert all(unanswered.on_message(state, message(i, ts), None) == [] for i, (_, ts) in enumerate(daily(12)))


def test_a_re_delivered_answer_signals_once_and_a_replied_streak_not_at_all():
    state, checks = AccountState(), []
    for i, (_, ts) in enumerate(daily(2 * DAYS)):
        checks += unanswered.on_message(state, message(i, ts), RULE)
    (answer,) = unanswered.on_check(AccountState(), checks[0])
    assert len(unanswered.on_unanswered(state, answer, RULE)) == 1
    assert unanswered.on_unanswered(state, answer, RULE) == []  # the same answer again

    other, checks = AccountState(), []
    for i, (_, ts) in enumerate(daily(2 * DAYS)):
        checks += unanswered.on_message(other, message(i, ts), RULE)
    (answer,) = unanswered.on_check(AccountState(), checks[0])
    unanswered.on_reply(other, reply(checks[0].ts + HOUR))  # the reply's notice came first
    assert unanswered.on_unanswered(other, answer, RULE) == []


def test_a_vetoed_streak_ends_so_a_later_one_is_checked_again():
    # c1 answered f1 within the turn that started the streak, so no reply notice was sent.
    c1 = AccountState()
    c1.remember_contact("f1", (HOUR + 60_000) // 60_000)
    early = daily(2 * DAYS, start=HOUR)
    later = [("m", 20 * DAY + i * DAY // 2) for i in range(2 * DAYS)]
    assert run(early, recipient=c1) == []
    assert len(run(early + later, recipient=AccountState())) == 1  # never answered: one long streak, one signal
    state, signals = AccountState(), []
    for i, (_, ts) in enumerate(early + later):
        for check in unanswered.on_message(state, message(i, ts), RULE):
            # the recipient answered the first streak only
            for answer in unanswered.on_check(c1 if ts < 20 * DAY else AccountState(), check):
                if answer.kind == "replied":
                    unanswered.on_reply(state, answer)
                else:
                    signals += unanswered.on_unanswered(state, answer, RULE)
    assert len(signals) == 1 and signals[0].ts >= 20 * DAY


def settle(state: AccountState, recipient: AccountState, checks: list[SubjectEvent]) -> list:
    """The recipient answers each check; a reply answer restarts the streak, which may be checked
    again. The signals f1 gets."""
    signals = []
    while checks:
        for answer in unanswered.on_check(recipient, checks.pop(0)):
            if answer.kind == "replied":
                checks += unanswered.on_reply(state, answer, RULE)
            else:
                signals += unanswered.on_unanswered(state, answer, RULE)
    return signals


def in_order(events, recipient: AccountState, notice_at: int | None = None) -> list:
    """events: ("m", ts) messages f1 -> c1 and ("r", ts) replies of c1 (c1's state knows them);
    `notice_at`: the index from which reply notices are told (None: at once); the rest are
    told after every message."""
    state, signals, late = AccountState(), [], []
    for i, (what, ts) in enumerate(events):
        if what == "r":
            recipient.remember_contact("f1", ts // 60_000)
            if notice_at is not None and i >= notice_at:
                late.append(reply(ts))
                continue
            signals += settle(state, recipient, unanswered.on_reply(state, reply(ts), RULE))
        else:
            signals += settle(state, recipient, unanswered.on_message(state, message(i, ts, stage="ended"), RULE))
    for notice in late:
        signals += settle(state, recipient, unanswered.on_reply(state, notice, RULE))
    return [(s.event_id, s.ts, s.counters) for s in signals]


def test_a_reply_told_late_leaves_the_later_messages_a_streak_found_at_the_same_message():
    # One message, the recipient's reply an hour later, then a streak of 2 * DAYS messages; the
    # reply's notice reaches f1 only after all of them (a backlog).
    events = [("m", 0), ("r", HOUR)] + daily(2 * DAYS, start=2 * HOUR)
    on_time = in_order(events, AccountState())
    late = in_order(events, AccountState(), notice_at=1)
    assert len(on_time) == 1 and late == on_time
    assert on_time[0][0] == f"m{1 + N}"  # the streak's Nth message after the reply


def test_a_streak_answered_in_full_is_not_found_again():
    events = daily(2 * DAYS) + [("r", 2 * DAYS * DAY)]
    assert in_order(events, AccountState(), notice_at=len(events) - 1) == in_order(events, AccountState())


def test_a_streak_keeps_its_count_and_its_newest_messages():
    state = AccountState()
    for i in range(3 * MAX_STREAK_MESSAGES):
        state.extend_streak("c1", i * HOUR, f"m{i}")
    kept = state.streaks["c1"]
    days = (3 * MAX_STREAK_MESSAGES - 1) * HOUR // DAY + 1
    assert kept[2:5] == [0, 3 * MAX_STREAK_MESSAGES, days]  # since the first message; messages; days
    assert len(kept) == 6 + 2 * MAX_STREAK_MESSAGES and kept[-1] == f"m{3 * MAX_STREAK_MESSAGES - 1}"


def test_a_streak_longer_than_the_messages_kept_is_found_and_confirmed():
    # 10 messages on each of two days, then one on the third: found at that one.
    events = [("m", d * DAY + i * HOUR) for d in range(2) for i in range(10)] + [("m", 2 * DAY)]
    assert [s[:2] for s in in_order(events, AccountState())] == [("m20", 2 * DAY)]


def test_a_heavy_streak_is_found_when_it_spans_the_days():
    events = [("m", d * DAY + i * HOUR) for d in range(6) for i in range(20)]
    assert [s[0] for s in in_order(events, AccountState())] == ["m40"]


def test_a_reply_told_late_after_more_messages_than_kept_ends_the_streak():
    # Only the newest messages are kept: the streak after a reply told this late cannot be
    # rebuilt, so it ends, as it did before streaks kept messages; the next ones start anew.
    ten_minutes = 600_000
    events = ([("m", 0), ("r", HOUR)] + [("m", 2 * HOUR + i * ten_minutes) for i in range(MAX_STREAK_MESSAGES + 4)]
              + [("m", DAY + HOUR), ("m", 2 * DAY + HOUR)])
    assert in_order(events, AccountState()) != []  # told in time: found on the third day
    assert in_order(events, AccountState(), notice_at=1) == []


def test_an_older_states_streaks_start_again():
    old = AccountState.from_dict({"u": {"c1": [5, 0, 0, 2, 1, -1]}})
    assert old.streaks == {}
