"""Every place the scorer reaches into Faust's or aiokafka's internals, one module per behaviour
worked around; each module's docstring says what it works around and how to check that it is
still needed (faust-streaming 0.15.3, aiokafka 0.14.0).

Patches of Faust's classes, installed by `install` before an app is built:

- `fetch_wait`: the worker consumer's fetch wait from the settings, not a fixed 1500 ms;
- `highwaters`: table recovery reads each changelog partition to its true end (a fetch probes it);
- `seeks`: a stream partition with no committed offset starts at its beginning, and each app's
  `Continuity` learns every position its partitions are sought to;
- `spinner`: no terminal spinner, so the root logger stays at the chosen level;
- `delivery`: a fetched record handed to its stream without four tasks when that does not wait;
- `log_storm`: aiokafka's errors repeated on every retry logged once per message a while;
- `buffer_drain`: the records of a partition put back on the fetcher (its stream buffer drained)
  handed over at once, not up to a second later.

Private parts or flags used in place:

- `continuity`: offsets Faust's fetcher skipped are found and read straight from the broker
  (`seeks.mark_read` then lets Faust commit past them);
- `acks`: a batch's events are acknowledged once scored, not when `take_events` moves on; what
  the streams hold is not waited for when the worker stops through an outage;
- `changelog`: a batch's states written to the table's dict and its changelog as record batches;
- `producer`: the aiokafka producer under Faust's (`_ensure_producer`);
- `sensors`: Faust's Prometheus monitor without its per-event work;
- `command_line`: Faust's command line run on the arguments `riskscorer` has read.
"""

from __future__ import annotations

from streams.faust_fixes import buffer_drain, delivery, fetch_wait, highwaters, log_storm, seeks, spinner


def install(fetch_wait_ms: int) -> None:
    """Patch Faust's classes (again: each patch wraps the original method kept at import)."""
    fetch_wait.set_fetch_wait(fetch_wait_ms)
    highwaters.probe_highwaters()
    seeks.seek_uncommitted_to_start()
    spinner.no_spinner()
    delivery.eager_hand_over()
    log_storm.quieten()
    buffer_drain.wake_on_drain()
