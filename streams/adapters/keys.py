"""The Redis key scheme: every key the scorer writes, in one place.

Every key starts with `riskscorer:<app id>:`, so a backtest, a replay or a second deployment on
the same Redis database never overwrites the live one's, then names its store. Keys one script or
transaction touches together share a hash tag (`{shard}` in the indexes, `streams.adapters.
redis_index`; `{rule}` in the reviewer's), so they live on one node of a Redis Cluster.
docs/operating.md ("Redis") gives each store's size and lifetime.
"""

from __future__ import annotations

APP = "riskscorer:{app}:"
RULES = APP + "rules"  # the rules published to every worker
REVIEWER = APP + "reviewer:"  # verdicts and counts per rule, demotions
TEXT_EXAMPLES = APP + "text-examples"  # reviewers' verdicts as labelled texts
LINKS = APP + "links:v2:"  # the cross-account link index
LETTERS = APP + "letters:"  # the cover-letter index
FLOORS = APP + "floors"  # how far each partition number's proposals are in the cover-letter index
PROFILE = APP + "profile:{id}"  # an account's risk profile (the support lookup)
ESCALATIONS = APP + "escalations:{id}"  # an account's escalations, summarised
ESCALATION = APP + "escalation:{id}"  # by escalation id: what a reviewer's decision refers to
VERDICTS = APP + "verdicts:{id}"  # an account's escalations' verdicts, for the support lookup
WAITING = APP + "decisions-waiting"  # decisions that came before their escalation was stored
# Escalation records written before keys carried the app id: read while they live (the profile TTL),
# so reviewers' decisions on older escalations still count.
LEGACY_ESCALATION = "riskscorer:escalation:{id}"


def key(template: str, app_id: str, id_: str = "") -> str:
    """The key (or key prefix) `template` names for the app `app_id` and, where it has one, `id_`."""
    return template.format(app=app_id, id=id_)
