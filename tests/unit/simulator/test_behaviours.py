"""Each bad actor kind leaves the traces its detectors look for; honest accounts do not."""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable

import pytest

from streams.devtools.simulator import Simulation

DAY_MS, HOUR_MS = 86_400_000, 3_600_000
Check = Callable[[Simulation, str], bool]


_CACHE: dict[tuple[int, str], list[dict]] = {}


def _values(sim: Simulation, kind: str) -> list[dict]:
    key = (id(sim), kind)
    if key not in _CACHE:
        _CACHE[key] = [e.value for e in sim.events if e.kind == kind and e.value is not None]
    return _CACHE[key]


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u200b", "").lower()
    return re.sub(r"[\s@\-]", "", text.replace("@", "a"))


def payment_ask(sim: Simulation, acc: str) -> bool:
    providers = ("paypal", "payoneer", "wise", "banktransfer", "usdt", "crypto", "westernunion")
    return any(m["sender_id"] == acc and m["contract_stage"] == "pre_contract"
               and any(p in _normal(m["text"]) for p in providers)
               for m in _values(sim, "messages"))


def contact_share(sim: Simulation, acc: str) -> bool:
    pattern = re.compile(
        r"@|\bdot\b|\d{3}[ .-]\d{3}|\b(zero|one|two|three|four|five|six|seven|eight|nine) "
        r"(zero|one|two|three|four|five|six|seven|eight|nine)\b|skype|whatsapp|telegram|s k y p e|w h a t",
        re.I,
    )
    return any(m["sender_id"] == acc and m["contract_stage"] == "pre_contract"
               and pattern.search(unicodedata.normalize("NFKC", m["text"]))
               for m in _values(sim, "messages"))


def pasted_letters(sim: Simulation, acc: str) -> bool:
    letters = [p["cover_letter"].split(",", 1)[1] for p in _values(sim, "proposals")
               if p["freelancer_id"] == acc]
    return max(Counter(letters).values(), default=0) >= 20


def feedback_requests(sim: Simulation, acc: str) -> bool:
    per_contract = Counter(f["contract_id"] for f in _values(sim, "feedback")
                           if f["from_id"] == acc and f["kind"] == "request")
    return max(per_contract.values(), default=0) >= 3


def unanswered(sim: Simulation, acc: str) -> bool:
    """Messages outside an active contract (work updates are the job) that get no reply."""
    streaks: dict[str, list[int]] = defaultdict(list)
    for m in _values(sim, "messages"):
        if m["recipient_id"] == acc:
            streaks.pop(m["sender_id"], None)
        elif m["sender_id"] == acc and m["contract_stage"] != "active":
            streaks[m["recipient_id"]].append(m["ts"])
    return any(len(t) >= 6 and t[-1] - t[0] >= 3 * DAY_MS for t in streaks.values())


def fan_out(sim: Simulation, acc: str) -> bool:
    """First messages to many people within an hour, not counting those who applied to its jobs."""
    applied = {p["freelancer_id"] for p in _values(sim, "proposals") if p["client_id"] == acc}
    first: dict[str, int] = {}
    for m in _values(sim, "messages"):
        if m["sender_id"] == acc and m["recipient_id"] not in applied:
            first.setdefault(m["recipient_id"], m["ts"])
    stamps = sorted(first.values())
    return any(sum(1 for t in stamps if s <= t < s + HOUR_MS) >= 20 for s in stamps)


def scam_talk(sim: Simulation, acc: str) -> bool:
    return any(m["sender_id"] == acc and re.search(r"telegram|bank details|registration fee", m["text"], re.I)
               for m in _values(sim, "messages"))


def _fingerprints(sim: Simulation) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = defaultdict(set)
    for a in _values(sim, "accounts"):
        for field in ("device_fp", "payment_fp", "ip_fp"):
            if field in a:
                seen[a[field]].add(a["account_id"])
    return seen


def shares_fingerprint(sim: Simulation, acc: str) -> bool:
    return any(acc in ids and len(ids) > 1 for ids in _fingerprints(sim).values())


def _received(sim: Simulation, acc: str) -> list[int]:
    return [f["stars"] for f in _values(sim, "feedback") if f["kind"] == "rating" and f["to_id"] == acc]


def farmed_five_stars(sim: Simulation, acc: str) -> bool:
    if acc.startswith("c"):
        return any(f["from_id"] == acc and f["stars"] == 5 for f in _values(sim, "feedback")
                   if f["kind"] == "rating") and shares_fingerprint(sim, acc)
    return 5 in _received(sim, acc) and shares_fingerprint(sim, acc)


def poorly_rated_client(sim: Simulation, acc: str) -> bool:
    """Rated 3.75 or less on average, by more than one unhappy freelancer (seed 004)."""
    stars = _received(sim, acc)
    return len(stars) >= 3 and sum(stars) / len(stars) <= 3.75 and sum(1 for s in stars if s <= 3) >= 2


def hires_in_turn(sim: Simulation, acc: str) -> bool:
    """A loop of contracts rated 4 stars or more both ways: it hired someone who (through others) hired it."""
    fives: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for f in _values(sim, "feedback"):
        if f["kind"] == "rating" and f["stars"] >= 4:
            pair = (f["from_id"], f["to_id"]) if f["from_role"] == "client" else (f["to_id"], f["from_id"])
            fives[f["contract_id"]].append(pair)
    hired: dict[str, set[str]] = defaultdict(set)
    for pairs in fives.values():
        if len(pairs) == 2:  # 4 stars or more both ways
            hired[pairs[0][0]].add(pairs[0][1])
    reach, todo = set(), list(hired[acc])
    while todo:
        nxt = todo.pop()
        if nxt not in reach:
            reach.add(nxt)
            todo.extend(hired[nxt])
    return acc in reach


def bursts(sim: Simulation, acc: str) -> bool:
    """16 or more messages within 60 seconds."""
    stamps = sorted(m["ts"] for m in _values(sim, "messages") if m["sender_id"] == acc)
    return any(stamps[i + 15] - stamps[i] < 60_000 for i in range(len(stamps) - 15))


def low_rated_freelancer(sim: Simulation, acc: str) -> bool:
    return sum(1 for s in _received(sim, acc) if s <= 2) >= 3


CHECKS: dict[str, Check] = {
    "off_platform_payer": payment_ask,
    "contact_sharer": contact_share,
    "cover_letter_paster": pasted_letters,
    "feedback_beggar": feedback_requests,
    "harasser": unanswered,
    "spammer": fan_out,
    "scam_client": scam_talk,
    "duplicate_ring": shares_fingerprint,
    "friends_family": farmed_five_stars,
    "poor_client": poorly_rated_client,
    "low_quality": low_rated_freelancer,
    "rating_ring": hires_in_turn,
    "burster": bursts,
}


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_bad_actor_leaves_its_trace(default_sim: Simulation, kind: str) -> None:
    members = [a for a, row in default_sim.truth["accounts"].items() if row["actor_kind"] == kind]
    assert members
    for acc in members:
        assert CHECKS[kind](default_sim, acc), acc


@pytest.mark.parametrize("check", [unanswered, fan_out, poorly_rated_client, low_rated_freelancer,
                                   feedback_requests, pasted_letters, hires_in_turn, bursts])
def test_honest_accounts_do_not_look_bad(default_sim: Simulation, check: Check) -> None:
    honest = [a for a, row in default_sim.truth["accounts"].items() if row["actor_kind"] == "honest"]
    assert [a for a in honest if check(default_sim, a)] == []


def test_look_alikes_are_in_the_traffic(default_sim: Simulation) -> None:
    """DOMAIN.md's traps, as honest accounts: a client one freelancer rated 1 star among others'
    5s, a busy client writing to its applicants, work updates to a quiet client."""
    honest = [a for a, row in default_sim.truth["accounts"].items() if row["actor_kind"] == "honest"]
    assert any(a.startswith("c") and _received(default_sim, a).count(1) == 1 and _received(default_sim, a).count(5) >= 2
               for a in honest)
    applied = defaultdict(set)
    for p in _values(default_sim, "proposals"):
        applied[p["client_id"]].add(p["freelancer_id"])
    hour_firsts = Counter((m["sender_id"], m["ts"] // HOUR_MS) for m in _values(default_sim, "messages")
                          if m["recipient_id"] in applied[m["sender_id"]])
    assert max(hour_firsts.values()) >= 20
    updates = Counter((m["sender_id"], m["recipient_id"]) for m in _values(default_sim, "messages")
                      if m["contract_stage"] == "active")
    assert any(n >= 12 and all(m["sender_id"] != r for m in _values(default_sim, "messages")
                               if m["recipient_id"] == s and m["contract_stage"] == "active")
               for (s, r), n in updates.items())


def test_households_share_an_ip_and_a_surname_and_home(default_sim: Simulation) -> None:
    kinds = {a: row["actor_kind"] for a, row in default_sim.truth["accounts"].items()}
    by_home: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in _values(default_sim, "accounts"):
        if "ip_fp" in a and "family_fp" in a:
            by_home[(a["ip_fp"], a["family_fp"])].add(a["account_id"])
    assert any(len(ids) > 1 and all(kinds[i] == "honest" for i in ids) for ids in by_home.values())


def test_honest_fingerprints_shared_only_by_ip(default_sim: Simulation) -> None:
    kinds = {a: row["actor_kind"] for a, row in default_sim.truth["accounts"].items()}
    shared = {fp for fp, ids in _fingerprints(default_sim).items()
              if len(ids) > 1 and all(kinds[i] == "honest" for i in ids)}
    assert shared and all(fp.startswith("ip-") for fp in shared)
