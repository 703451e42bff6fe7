"""The linked-account and friends-and-family detectors, reached through `step` with the
project's rules file, state round-tripping through its stored form between events."""

from __future__ import annotations

from scoring.records import ContractEvent, Feedback
from scoring.state import AccountState
from scoring.step import step
from streams.adapters.link_index_memory import MemoryLinkIndex
from streams.batch.rules_file import load_rules
from streams.worker.settings import DEFAULT_RULES
from tests.unit.test_linked import login, observe, people

RULES = load_rules(DEFAULT_RULES)
T0 = 1_767_225_600_000
HOUR = 3_600_000


def stored(state: AccountState) -> AccountState:
    return AccountState.from_dict(state.to_dict())


def escalate_pair(events, order):
    """Step the signups in `order` (each read alone, so the first cannot see the second), then the
    notices they send; each account's escalations from the notices."""
    index, states, notices = MemoryLinkIndex(), {e.account_id: AccountState() for e in events}, []
    for ev in order:
        out = step(states[ev.account_id], ev, RULES, observe([ev], index=index).get(ev.event_id))
        assert out.signals == out.escalations == []
        notices += out.forwards
    found = {n.subject_id: step(states[n.subject_id], n, RULES).escalations for n in notices}
    assert all(step(states[n.subject_id], n, RULES).signals == [] for n in notices)  # a second copy
    return found


def test_a_second_freelancer_on_the_same_device_is_a_duplicate_account_whichever_is_read_first():
    """Whichever account's signup is read second tells both: each escalates once, at the later
    signup's time, under the same id and content either way."""
    events = people(["f-a", "f-b"], device="dev-shared-1")
    found = escalate_pair(events, events)
    assert escalate_pair(events, events[::-1]) == found
    for account, other in (("f-a", "f-b"), ("f-b", "f-a")):
        (esc,) = found[account]
        assert esc.ts == events[1].ts and esc.policies == ("duplicate_account",)
        assert [e["event_id"] for e in esc.evidence] == [f"f-b-1~linked_duplicate~{account}"]
        assert other in esc.evidence[0]["reason"]


def test_without_a_link_view_account_events_only_read_profile_text():
    events = people(["f-a", "f-b"], device="dev-shared-1")
    assert step(AccountState(), events[1], RULES).signals == []


def test_flatmates_sharing_an_ip_are_not_linked():
    events = people(["f-a", "f-b"], ip="ip-home")
    views = observe(events)
    assert all(step(AccountState(), e, RULES, views.get(e.event_id)).signals == [] for e in events)


def contract(i: int, kind: str, ts: int, client: str = "c-new", freelancer: str = "f-friend") -> ContractEvent:
    return ContractEvent(f"k-{i}", ts, kind, "k1", "job-1", client, freelancer, client)


def test_a_client_linked_to_a_freelancer_signals_only_with_a_contract_between_them():
    events = [*people(["f-x"], device="dev-x"), login(5, "c-x", role="client", device="dev-x", kind="signup")]
    views = observe(events)
    state = AccountState()
    signup = step(state, events[1], RULES, views.get(events[1].event_id))
    assert signup.signals == [] and [n.subject_id for n in signup.forwards] == ["c-x", "f-x"]
    assert step(state, signup.forwards[0], RULES).signals == []  # the link told to the client: alone
    out = step(stored(state), contract(1, "hire", T0, "c-x", "f-x"), RULES)
    assert [s.detector for s in out.signals] == ["friends_family.linked_contract"]
    assert out.signals[0].policy == "feedback_manipulation"
    # escalated apart, at the later half (the link, found at the client's signup after the hire)
    assert [(e.policies, e.ts, e.trigger_event_id, e.follow_up) for e in out.escalations] == [
        (("feedback_manipulation",), signup.forwards[0].ts, signup.forwards[0].event_id, 0)]


def test_a_new_clients_fast_first_hire_and_five_stars_alone_do_not_signal():
    """The first-time client of seeds/003: invite, hire and 5 stars within hours, sharing nothing."""
    state = AccountState()
    for i, (kind, ts) in enumerate([("invite", T0), ("hire", T0 + 2 * HOUR)]):
        assert step(state, contract(i, kind, ts), RULES).signals == []
        state = stored(state)
    rating = Feedback("r-1", T0 + 30 * HOUR, "rating", "k1", "c-new", "f-friend", "client", 5, "great")
    assert step(state, rating, RULES).signals == []
