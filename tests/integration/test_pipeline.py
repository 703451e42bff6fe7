"""End to end on the real broker and Redis: events in, exactly the expected outputs out."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from collections import Counter

import orjson
import pytest
import redis

from tests.integration.kafka_client import produce, read_all
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
TOKEN = "test-token-not-a-secret"
MIN = 60_000


def msg(i: int, ts: int, sender: str, recipient: str, text: str, stage: str = "pre_contract"):
    value = {
        "event_id": f"{sender}-m{i}", "ts": ts, "room_id": f"{sender}:{recipient}",
        "sender_id": sender, "recipient_id": recipient, "text": text, "contract_stage": stage,
    }
    return ("messages", sender.encode(), orjson.dumps(value))


def account(i: int, ts: int, account_id: str, **fingerprints: str):
    value = {"event_id": f"{account_id}-a{i}", "ts": ts, "type": "signup" if i == 0 else "login",
             "account_id": account_id, "role": "freelancer", "country": "PT", **fingerprints}
    return ("accounts", account_id.encode(), orjson.dumps(value))


def scenario() -> list[tuple[str, bytes | None, bytes]]:
    events = [
        msg(0, T0, "f-pay", "c-1", "Hi! Thanks for the invite, happy to discuss the scope."),
        msg(1, T0 + MIN, "f-pay", "c-1", "let's do it on p@yp@l instead so we avoid the fees"),
    ]
    # 16 short messages to one client inside a minute: a burst (limit 15 a minute).
    events += [msg(i, T0 + i * 2000, "f-burst", "c-2", "ok") for i in range(16)]
    # First messages to 13 different clients within an hour (limit 12 an hour).
    events += [
        msg(i, T0 + i * 3 * MIN, "f-fan", f"c-fan-{i}", "Hello, is the logo job still open?")
        for i in range(13)
    ]
    # A second freelancer account on the first one's device: a duplicate account (seen in
    # Redis across partitions). Two flatmates sharing only an IP are not.
    events += [
        account(0, T0, "f-dup-a", device_fp="dev-1a2b3c4d5e6f", ip_fp="ip-77aa"),
        account(0, T0 + 5 * MIN, "f-dup-b", device_fp="dev-1a2b3c4d5e6f", ip_fp="ip-88bb"),
        account(0, T0, "f-flat-1", device_fp="dev-aaaa00001111", ip_fp="ip-home-42"),
        account(0, T0 + 5 * MIN, "f-flat-2", device_fp="dev-bbbb22223333", ip_fp="ip-home-42"),
    ]
    # Innocent account using trigger words.
    events += [
        msg(0, T0, "f-good", "c-3", "I only accept payment through the platform, sorry."),
        msg(1, T0 + MIN, "f-good", "c-3", "The job is integrating the PayPal API into checkout."),
        msg(2, T0 + 2 * MIN, "f-good", "c-3", "this damn build keeps failing, fixing it now"),
    ]
    return events


def malformed() -> list[tuple[str, bytes | None, bytes, str]]:
    good = orjson.loads(msg(0, T0, "f-x", "c-x", "hi")[2])
    return [
        ("messages", b"f-x", b'{"event_id": "x1", "ts": ', "bad_json"),
        ("messages", b"f-x", orjson.dumps({k: v for k, v in good.items() if k != "text"}),
         "missing_field"),
        ("messages", b"f-x", b'{"event_id":"x3","text":"\xff\xfe"}', "invalid_utf8"),
        ("messages", b"f-x", orjson.dumps({**good, "ts": "noon"}), "wrong_type"),
        ("messages", b"f-x", orjson.dumps({**good, "text": "x" * 3000}), "too_large"),
        ("messages", b"c-someone-else", orjson.dumps(good), "key_mismatch"),
        ("accounts", b"f-x", orjson.dumps({"event_id": "x7", "ts": T0, "type": "teleport",
                                           "account_id": "f-x", "role": "freelancer"}),
         "unknown_type"),
    ]


@pytest.fixture
def env(services, tmp_path):
    return scorer_env(services.broker_url, services.redis_url, tmp_path,
                      RISKSCORER_MAX_TEXT_CHARS="2000", RISKSCORER_API_TOKEN=TOKEN)


@pytest.fixture
def worker(env, tmp_path):
    w = Worker(env, tmp_path).start()
    try:
        yield w.wait_ready()
    finally:
        w.stop()


def topic(env, kind: str) -> str:
    return env[f"RISKSCORER_TOPIC_{kind.upper()}"]


def test_expected_escalations_and_dead_letters_and_nothing_else(env, worker, services):
    bad = malformed()
    items = [(topic(env, k), key, value) for k, key, value in scenario()]
    items += [(topic(env, k), key, value) for k, key, value, _ in bad]
    produce(services.broker_url, items)

    # One reply notice per conversation turn is re-keyed to the recipient and scored there; each
    # of the 16 first messages is answered `cold` by its recipient (none applied to the sender's
    # jobs); and the duplicate link made at f-dup-b's signup is told to both accounts.
    derived = 16 + 16 + 2
    metrics = worker.wait_processed(len(items) + derived)
    assert metrics["riskscorer_events_total:messages:scored"] == sum(k == "messages" for k, _, _ in scenario())
    assert metrics["riskscorer_events_total:accounts:scored"] == 4
    assert metrics["riskscorer_events_total:subjects:scored"] == derived
    escalations = read_all(services.broker_url, topic(env, "escalations"), expected=5)
    dead = read_all(services.broker_url, topic(env, "deadletter"), expected=len(bad))

    found = sorted((e["account_id"], tuple(e["policies"])) for e in escalations)
    assert found == [
        ("f-burst", ("spam_scam",)),
        ("f-dup-a", ("duplicate_account",)),
        ("f-dup-b", ("duplicate_account",)),
        ("f-fan", ("spam_scam",)),
        ("f-pay", ("off_platform_payment",)),
    ]
    by_account = {e["account_id"]: e for e in escalations}
    assert len({e["escalation_id"] for e in escalations}) == 5
    # one finding per account of the pair, made at the later signup, in both accounts' words
    dup = by_account["f-dup-b"]["evidence"][0]
    assert dup["detector"] == "duplicate_account.shared_fingerprint"
    assert dup["event_id"] == "f-dup-b-a0~linked_duplicate~f-dup-b" and dup["ts"] == T0 + 5 * MIN
    assert dup["reason"] == ("shares device dev-1a2b3c4d (this account since 2026-01-01 00:05:00, f-dup-a since "
                             "2026-01-01 00:00:00 UTC) with freelancer account f-dup-a")
    told = by_account["f-dup-a"]["evidence"][0]
    assert told["detector"] == "duplicate_account.shared_fingerprint"
    assert told["event_id"] == "f-dup-b-a0~linked_duplicate~f-dup-a" and told["ts"] == T0 + 5 * MIN
    assert told["reason"] == ("shares device dev-1a2b3c4d (this account since 2026-01-01 00:00:00, f-dup-b since "
                              "2026-01-01 00:05:00 UTC) with freelancer account f-dup-b")

    pay = by_account["f-pay"]
    span = pay["evidence"][0]["spans"][0]
    assert pay["evidence"][0]["event_id"] == "f-pay-m1"
    assert "p@yp@l" in span["text"]
    assert pay["rule_version"] and pay["reasons"] and pay["severity"] in {"low", "medium", "high", "critical"}

    burst = by_account["f-burst"]["evidence"][0]["counters"][0]
    assert (burst["name"], burst["value"], burst["window_s"]) == ("messages_per_minute", 16, 60)
    fan = by_account["f-fan"]["evidence"][0]["counters"][0]
    assert (fan["name"], fan["value"], fan["window_s"]) == ("first_messages_per_hour", 13, 3600)

    assert Counter(d["reason"] for d in dead) == Counter(reason for *_, reason in bad)
    originals = {value for _, _, value, _ in bad}
    assert {base64.b64decode(d["value_b64"]) for d in dead} == originals
    assert all(d["topic"].startswith("t-") and d["offset"] >= 0 for d in dead)
    assert metrics["riskscorer_dead_letters_total"] == len(bad)

    store = redis.Redis.from_url(services.redis_url)
    profile = store.hgetall(f"riskscorer:{env['RISKSCORER_APP_ID']}:profile:f-pay")
    # Every key carries the app id: none is written where another deployment's could be.
    assert not [k for pattern in ("riskscorer:profile:*", "riskscorer:escalation*") for k in store.keys(pattern)]
    assert orjson.loads(profile[b"last_escalation"])["escalation_id"] == pay["escalation_id"]
    assert "off_platform_payment" in orjson.loads(profile[b"scores"])

    assert lookup(worker, "f-pay", token=None)[0] == 401
    assert lookup(worker, "f-pay", token="wrong")[0] == 401
    status, body = lookup(worker, "f-pay", token=TOKEN)
    assert status == 200
    assert [e["escalation_id"] for e in body["open_escalations"]] == [pay["escalation_id"]]
    assert body["scores"]["off_platform_payment"]["score"] >= 1.0
    assert body["recent_signals"]["off_platform_payment"][0]["event_id"] == "f-pay-m1"
    assert lookup(worker, "nobody", token=TOKEN)[0] == 404
    assert lookup(worker, "f-pay", token=TOKEN, scheme="bearer")[0] == 200  # the scheme in any case
    assert lookup(worker, "%E2%80%AEabc", token=TOKEN)[0] == 400  # no id holds a bidi override
    assert lookup(worker, "a" * 129, token=TOKEN)[0] == 400
    assert raw_authorization(worker, b"Bearer \xff\xfe") == 401  # not UTF-8: refused, not a server error


def raw_authorization(worker: Worker, header: bytes) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", worker.port, timeout=5)
    try:
        conn.putrequest("GET", "/accounts/f-pay/risk")
        conn.putheader("Authorization", header)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def lookup(worker: Worker, account: str, token: str | None, scheme: str = "Bearer") -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{worker.port}/accounts/{account}/risk")
    if token:
        request.add_header("Authorization", f"{scheme} {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, orjson.loads(resp.read())
    except urllib.error.HTTPError as err:
        body = err.read()
        try:
            return err.code, orjson.loads(body)
        except orjson.JSONDecodeError:
            return err.code, {"body": body.decode(errors="replace")}


def test_lookup_endpoint_is_off_without_a_token(services, tmp_path):
    w = Worker(scorer_env(services.broker_url, services.redis_url, tmp_path), tmp_path).start()
    try:
        w.wait_ready()
        assert lookup(w, "f-pay", token=TOKEN)[0] == 404
    finally:
        w.stop()


FAUST_PAGES = ["/router/", "/table/", "/table/account_state/", "/router/account_state/get/?key=f-pay", "/graph/",
               "/stats/", "/performance/"]


def test_fausts_own_pages_are_off(worker):
    for path in FAUST_PAGES:
        request = urllib.request.Request(f"http://127.0.0.1:{worker.port}{path}")
        request.add_header("Authorization", f"Bearer {TOKEN}")  # not even with the token
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=5)
        assert info.value.code == 404, path
    assert worker.scrape() is not None  # /metrics still answers


def listening(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp* writes them) of the sockets listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


def test_the_web_server_listens_on_the_configured_host_only(worker):
    assert listening(worker.port) == {"0100007F"}  # 127.0.0.1 (the default), not every interface
