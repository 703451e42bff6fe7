"""Fan-out: first messages to many distinct people who had not applied to the sender's jobs,
within an hour or within a day (the windows slide on the messages' own times).

Only cold outreach counts: a busy client may answer dozens of its applicants in an hour. Whether
a recipient applied is known on the recipient's side: its proposals are in its own state. The
sender could keep its applicants instead, but it would learn of them from notices re-keyed from
each applicant's partition, racing its own messages. So the recipient answers every first
message's reply notice (`replied`, `detail` "first"): `cold` with `detail` "" when it had not
applied to the sender's jobs by the message's time, "applied" when it had. It keeps the clients it
applied to as hashed tags with the first time (`scoring.tags`): hundreds in a couple of
kilobytes, enough for a freelancer who applies to many jobs before a client answers. A proposal
read after it was asked about (its topic behind the re-keyed one after a restart) corrects the
cold answer it should have changed, with an "applied" one.

The answers come back from the recipients' partitions in any order, and behind the sender's
later messages. The decision does not depend on it: the sender keeps its first messages
(`firsts`: awaiting, cold), and a window's limit is found crossed at the first message that is
the limit + 1st cold one within the window ending at it. Crossings are decided in the order of
the messages, at a message only once every first message up to it has been answered; the
finding is made at that message (its id and time), whichever answer completed it, and none is
made within a day after the last one (either window). Cold first messages are kept until two
days before the last decided one, so a window still to decide is whole however late its
answers come; an answer still awaited two weeks behind the newest first message is given up.
The finding is escalated apart from the spam score (`step.APART`), which it would otherwise
join at its arrival, behind the sender's later messages.
"""

from __future__ import annotations

from typing import Any

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.detectors.rates import WINDOWS
from scoring.records import ContractEvent, Message, Proposal, SubjectEvent
from scoring.signals import Counter, Signal
from scoring.state import MAX_AWAITING, MAX_FIRSTS, AccountState
from scoring.units import DAY_MS, MINUTE_MS

AWAITING, COLD = 0, 1
RETAIN_MS = 2 * DAY_MS  # cold first messages kept this long before the last decided one
QUIET_MS = DAY_MS  # no finding within this long after the last (either window)
# An answer still awaited this long behind the newest first message is given up (lost). From a
# backlog the answers come back far behind the sender's own messages: the subject events hold
# nothing back (`Reorder.followers`), and a worker reads its partitions' backlog while the
# recipients' answers wait for the other workers' turn. Two workers reading a week's backlog
# (`bench/equality.py --accounts 2000 --days 7 --scenarios backlog`) ran more than three days
# ahead. Two weeks is longer than any backlog a broker keeps at Kafka's default retention (7 days).
AWAIT_MS = 14 * DAY_MS
LIMITS = ("per_hour", "per_day")  # the windows whose limits are checked, in this order at one message
APPLIED = "applied"  # a first message's answer: the recipient had applied to the sender's jobs


def on_message(state: AccountState, event: Message, rule: DetectorRule | None = None,
               at: At = NOWHERE) -> list[Signal]:
    """Remember the recipient; a first message awaits the recipient's answer (its reply notice,
    derived before this, asked for it). Nothing is found before the answers come. A freelancer
    the sender invited to its job first is no cold outreach: the invitation went through the
    platform (a new client inviting a dozen freelancers to its first job, then writing to them)."""
    first = state.remember_contact(event.recipient_id, event.ts // MINUTE_MS)
    if first and event.recipient_id not in state.firsts and not state.invited_before(event.recipient_id, event.ts):
        state.firsts[event.recipient_id] = [event.ts, AWAITING, event.event_id]
        _forget_old(state)
    return []


def on_proposal(state: AccountState, event: Proposal, rule: DetectorRule | None = None,
                at: At = NOWHERE) -> list[SubjectEvent]:
    """The freelancer applied to a job of `client_id`: a first message from that client at or after
    this answers it. One answered cold already, though made after this, is corrected."""
    state.remember_application(event.client_id, event.ts)
    return _corrected(state, event.client_id, event.freelancer_id)


def on_contract(state: AccountState, event: ContractEvent, rule: DetectorRule | None = None,
                at: At = NOWHERE) -> list[SubjectEvent]:
    """A client's invitation of a freelancer to its job (its own event: read before its later
    messages, in event time). A first message from that freelancer answered cold already, though
    sent after the invitation, is corrected (the invitation read late)."""
    if event.type != "invite" or event.actor_id != event.client_id:
        return []
    state.remember_invite(event.freelancer_id, event.ts)
    return _corrected(state, event.freelancer_id, event.client_id)


def on_message_told(state: AccountState, event: Message, rule: DetectorRule | None = None,
                    at: At = NOWHERE) -> list[SubjectEvent]:
    """Remember who this account wrote to: a first message from them after it is a reply, no
    cold outreach. One answered cold already, though written after this, is corrected (this
    message read late)."""
    state.remember_written(event.recipient_id, event.ts)
    return _corrected(state, event.recipient_id, event.sender_id)


def _corrected(state: AccountState, sender: str, account: str) -> list[SubjectEvent]:
    """The cold answer `account` gave `sender`'s first message, corrected to "applied" when what
    it has just read shows it was not cold by then (once)."""
    answered = state.answered_cold.get(sender)
    if answered is None or not _not_cold(state, sender, answered[0]):
        return []
    del state.answered_cold[sender]
    return [_answer(answered[1], answered[0], sender, account, "", APPLIED)]


def _not_cold(state: AccountState, sender: str, ts: int) -> bool:
    """Whether, by `ts`, this account had applied to the sender's jobs, written to it, or (a
    client) invited it to a job: the sender's first message then answers it."""
    return state.applied_before(sender, ts) or state.wrote_before(sender, ts) or state.invited_before(sender, ts)


def on_first_message(state: AccountState, event: SubjectEvent, rule: DetectorRule | None = None,
                     at: At = NOWHERE) -> list[SubjectEvent]:
    """The recipient's side of a first message's reply notice: whether it had applied to the
    sender's jobs, written to the sender or invited it by then, back to the sender."""
    if event.detail != "first":
        return []
    if _not_cold(state, event.other_id, event.ts):
        return [_answer(event.event_id, event.ts, event.other_id, event.subject_id, event.room_id, APPLIED)]
    state.answer_cold(event.other_id, event.ts, event.event_id)
    return [_answer(event.event_id, event.ts, event.other_id, event.subject_id, event.room_id, "")]


def _answer(message: str, ts: int, sender: str, recipient: str, room: str, detail: str) -> SubjectEvent:
    return SubjectEvent(message, ts, "cold", sender, "unknown", "", recipient, room_id=room, detail=detail)


def on_cold(state: AccountState, event: SubjectEvent, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """A recipient's answer to the first message `event_id` (once, however often it is
    delivered), or its correction to "applied"; the crossings this lets be decided."""
    entry = state.firsts.get(event.other_id)
    if entry is None or entry[2] != event.event_id:
        return []
    if event.detail == APPLIED:
        del state.firsts[event.other_id]
    elif entry[1] == AWAITING:
        entry[1] = COLD
    else:
        return []
    _forget_old(state)
    signals = [] if rule is None else _decide(state, rule)
    _forget_old(state)
    return signals


def _decide(state: AccountState, rule: DetectorRule) -> list[Signal]:
    """Signals for the crossings at the messages answered up to the first one still awaited,
    in their order, none within `QUIET_MS` after the last found; those messages are decided."""
    ordered = sorted(state.firsts.items(), key=lambda item: (item[1][0], item[0]))
    answered = next((i for i, (_, e) in enumerate(ordered) if e[1] == AWAITING), len(ordered))
    if answered == 0:
        return []
    cold = [(r, e) for r, e in ordered[:answered] if e[1] == COLD]
    decided = state.first_decided
    found = sorted((entry[0], LIMITS.index(name), name, recipient, entry, window) for name in LIMITS
                   for recipient, entry, window in _crossings(state, cold, name, rule)
                   if decided is None or entry[0] > decided)
    newest = ordered[answered - 1][1][0]
    awaited = ordered[answered][1][0] if answered < len(ordered) else None
    state.first_decided = newest if awaited is None or awaited > newest else newest - 1
    signals = []
    for ts, _, name, recipient, entry, window in found:
        last = max(state.first_crossed.values(), default=None)
        if last is not None and ts - last < QUIET_MS:
            continue
        state.first_crossed[name] = ts
        signals.append(_signal(rule, name, recipient, entry, window))
    return signals


def _signal(rule: DetectorRule, name: str, recipient: str, entry: list[Any], window: tuple[str, ...]) -> Signal:
    window_ms, words = WINDOWS[name]
    limit = int(rule.param(name))
    counted = limit + 1
    reason = (f"first messages to {counted} different people it had no contact with (none had applied to its "
              f"jobs, invited it or written to it first) within {words} (limit {limit}), the last to {recipient}")
    return Signal(rule.policy, rule.name, rule.weight, reason, entry[2], entry[0],
                  (Counter(f"first_messages_{name}", counted, window_ms // 1000, limit),), accounts=window)


def _crossings(state: AccountState, cold: list[tuple[str, list[Any]]], name: str,
               rule: DetectorRule) -> list[tuple[str, list[Any], tuple[str, ...]]]:
    """The cold first messages (answered ones, in time order) at which the window `name` ending
    there first holds its limit + 1 cold ones (it held at most the limit at the cold one before),
    whose whole window is kept, each with the window's recipients."""
    window_ms, limit = WINDOWS[name][0], int(rule.param(name))
    out, start, before = [], 0, 0
    for i, (recipient, entry) in enumerate(cold):
        while cold[start][1][0] <= entry[0] - window_ms:
            start += 1
        count = i - start + 1
        whole = state.first_horizon is None or entry[0] - window_ms >= state.first_horizon
        if count == limit + 1 and before <= limit and whole:
            out.append((recipient, entry, tuple(r for r, _ in cold[start : i + 1])))
        before = count
    return out


def _forget_old(state: AccountState) -> None:
    """Drop the decided cold first messages two days or more before the last decided one (no
    window still to decide reaches them), and the oldest decided ones over `MAX_FIRSTS`. Those
    still to decide (awaited, or cold after one awaited) stay, up to `MAX_AWAITING`: an answer may
    come days late in event time, when the re-keyed topic is behind. One awaited `AWAIT_MS`
    behind the newest first message is given up (its answer lost), so that the crossings after
    it can be decided. Only what is dropped for room or given up moves the horizon."""
    decided = state.first_decided

    def settled(recipient: str) -> bool:
        entry = state.firsts[recipient]
        return entry[1] == COLD and decided is not None and entry[0] <= decided

    by_age = sorted(state.firsts, key=lambda r: (state.firsts[r][0], r))
    if decided is not None:
        for recipient in [r for r in by_age if settled(r) and state.firsts[r][0] <= decided - RETAIN_MS]:
            del state.firsts[recipient]
        by_age = [r for r in by_age if r in state.firsts]
    newest = max((state.firsts[r][0] for r in by_age), default=0)
    lost = [r for r in by_age if state.firsts[r][1] == AWAITING and state.firsts[r][0] <= newest - AWAIT_MS]
    given_up = set(lost)
    kept = [r for r in by_age if r not in given_up]
    done = [r for r in kept if settled(r)]
    open_ = [r for r in kept if not settled(r)]
    for recipient in lost + done[: max(0, len(done) - MAX_FIRSTS)] + open_[: max(0, len(open_) - MAX_AWAITING)]:
        ts = state.firsts.pop(recipient)[0]
        state.first_horizon = ts if state.first_horizon is None else max(state.first_horizon, ts)


DETECTORS = (
    Detector(
        "first_message_fanout", "spam_scam", rank=20, params=(Param("per_hour"), Param("per_day")),
        state=("contacts", "applied_to", "invited", "wrote_to", "firsts", "first_horizon", "first_crossed",
               "first_decided", "answered_cold"),
        finds={"message": on_message, "subject.cold": on_cold},
        tells={"proposal": on_proposal, "message": on_message_told, "contract": on_contract,
               "subject.replied": on_first_message},
    ),
)
