"""An input event must be keyed by the account that acted: no key is refused like a wrong one."""

from __future__ import annotations

import orjson
import pytest

from streams.batch.pipeline import Incoming, Processor
from streams.batch.schemas import Rejected
from tests.fuzz_events import VALID
from tests.unit.helpers import rules


@pytest.mark.parametrize(("key", "accepted"), [(b"f1", True), (None, False), (b"", False), (b"c1", False)])
def test_the_key_must_be_the_acting_account(key, accepted):
    item = Incoming("messages", "t", 0, 0, key, orjson.dumps(VALID["messages"]), 0)
    processor = Processor(rules(), 65536, 2000)
    if accepted:
        assert processor.decode(item).actor == "f1"
        return
    with pytest.raises(Rejected) as info:
        processor.decode(item)
    assert info.value.reason == "key_mismatch"
