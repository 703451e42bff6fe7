"""When `riskscorer demo` counts the worker's work as done (`demo.accounted`)."""

from __future__ import annotations

from streams.commands.demo import Outputs, accounted


def _outputs(policies: int = 0, dead_letters: int = 0) -> Outputs:
    out = Outputs()
    for i in range(policies):
        out.escalations[f"e{i}"] = {"escalation_id": f"e{i}", "policies": ["spam_scam"]}
    out.dead_letters.extend({"n": i} for i in range(dead_letters))
    return out


def test_done_when_every_re_keyed_event_sent_is_scored_and_every_output_read():
    seen = {"subjects": 40, "subjects_sent": 40, "escalations": 3, "dead_letters": 1}
    assert accounted(seen, 40, _outputs(3, 1))


def test_not_done_while_the_worker_sent_re_keyed_events_it_has_not_scored():
    # the topic's end offsets reported behind what was written: the worker's count says more is due
    seen = {"subjects": 38, "subjects_sent": 41, "escalations": 3, "dead_letters": 1}
    assert not accounted(seen, 38, _outputs(3, 1))


def test_not_done_while_the_topic_holds_re_keyed_events_not_scored():
    seen = {"subjects": 38, "subjects_sent": 38, "escalations": 3, "dead_letters": 1}
    assert not accounted(seen, 40, _outputs(3, 1))


def test_not_done_until_every_escalation_and_dead_letter_counted_is_read():
    seen = {"subjects": 40, "subjects_sent": 40, "escalations": 3, "dead_letters": 1}
    assert not accounted(seen, 40, _outputs(2, 1))
    assert not accounted(seen, 40, _outputs(3, 0))
