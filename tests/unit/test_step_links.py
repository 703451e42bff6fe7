"""The linked-account and friends-and-family detectors, reached through `step` with the
project's rules file, state round-tripping through its stored form between events."""

from __future__ import annotations

from scoring.records import ContractEvent, Feedback
from scoring.state import AccountState
from scoring.step import step
from streams.batch.rules_file import load_rules
from streams.worker.settings import DEFAULT_RULES
from tests.unit.test_linked import login, observe, people

RULES = load_rules(DEFAULT_RULES)
T0 = 1_767_225_600_000
HOUR = 3_600_000


def stored(state: AccountState) -> AccountState:
    return AccountState.from_dict(state.to_dict())


def test_a_second_freelancer_on_the_same_device_is_a_duplicate_account():
    events = people(["f-a", "f-b"], device="dev-shared-1")
    views = observe(events)
    first = step(AccountState(), events[0], RULES, views.get(events[0].event_id))
    second = step(AccountState(), events[1], RULES, views.get(events[1].event_id))
    assert first.signals == []
    assert [s.detector for s in second.signals] == ["duplicate_account.shared_fingerprint"]
    assert "f-a" in second.signals[0].reason


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
    assert step(state, events[1], RULES, views.get(events[1].event_id)).signals == []
    out = step(stored(state), contract(1, "hire", T0, "c-x", "f-x"), RULES)
    assert [s.detector for s in out.signals] == ["friends_family.linked_contract"]
    assert out.signals[0].policy == "feedback_manipulation"


def test_a_new_clients_fast_first_hire_and_five_stars_alone_do_not_signal():
    """The first-time client of seeds/003: invite, hire and 5 stars within hours, sharing nothing."""
    state = AccountState()
    for i, (kind, ts) in enumerate([("invite", T0), ("hire", T0 + 2 * HOUR)]):
        assert step(state, contract(i, kind, ts), RULES).signals == []
        state = stored(state)
    rating = Feedback("r-1", T0 + 30 * HOUR, "rating", "k1", "c-new", "f-friend", "client", 5, "great")
    assert step(state, rating, RULES).signals == []
