"""The consumer's hand-over of a record: at once when the callback does not wait, as Faust's
`wait_first` when it does, or when the flow is suspended."""

import asyncio

import pytest
from mode import Service

from streams.faust_fixes.delivery import eager_wait_first


class Consumer(Service):
    def __init__(self) -> None:
        super().__init__()
        self.suspend_flow = asyncio.Event()  # as Faust's consumer has it


async def delivered(log: list[str], wait: asyncio.Future[None] | None = None) -> str:
    log.append("started")
    if wait is not None:
        await wait
    log.append("delivered")
    return "ok"


def test_a_callback_that_does_not_wait_is_done_at_once_and_the_other_wait_closed():
    async def main() -> None:
        consumer, log = Consumer(), []
        suspended = consumer.suspend_flow.wait()
        before = len(asyncio.all_tasks())
        result = await eager_wait_first(consumer, delivered(log), suspended)
        assert log == ["started", "delivered"]
        assert result.done and result.results == ["ok"] and not result.stopped
        assert len(asyncio.all_tasks()) == before
        assert suspended.cr_frame is None  # closed, not left never awaited

    asyncio.run(main())


def test_a_callback_that_waits_goes_on_from_where_it_stopped():
    async def main() -> None:
        consumer, log = Consumer(), []
        room: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.01, room.set_result, None)
        result = await eager_wait_first(consumer, delivered(log, room), consumer.suspend_flow.wait())
        assert log == ["started", "delivered"]
        assert result.results == ["ok"] and not result.stopped

    asyncio.run(main())


def test_a_waiting_callback_is_cancelled_when_the_flow_is_suspended():
    async def main() -> None:
        consumer, log = Consumer(), []
        room: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.01, consumer.suspend_flow.set)
        await eager_wait_first(consumer, delivered(log, room), consumer.suspend_flow.wait())
        await asyncio.sleep(0)
        assert log == ["started"]
        assert room.cancelled()

    asyncio.run(main())


def test_a_suspended_flow_waits_as_faust_does():
    async def main() -> None:
        consumer, log = Consumer(), []
        consumer.suspend_flow.set()
        result = await eager_wait_first(consumer, delivered(log), consumer.suspend_flow.wait())
        assert log == ["started", "delivered"]
        assert not result.stopped

    asyncio.run(main())


def test_an_error_in_the_callback_is_raised():
    async def failing() -> None:
        raise ValueError("bad record")

    async def main() -> None:
        consumer = Consumer()
        with pytest.raises(ValueError, match="^bad record$"):
            await eager_wait_first(consumer, failing(), consumer.suspend_flow.wait())

    asyncio.run(main())


def test_a_waiting_callback_is_cancelled_when_the_consumer_stops():
    async def main() -> None:
        consumer, log = Consumer(), []
        room: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.01, consumer._stopped.set)
        result = await eager_wait_first(consumer, delivered(log, room), consumer.suspend_flow.wait())
        await asyncio.sleep(0)
        assert result.stopped and log == ["started"] and room.cancelled()
        assert not consumer._stopped._waiters and not consumer.suspend_flow._waiters

    asyncio.run(main())


def test_an_error_after_waiting_is_raised():
    async def failing_later(wait: asyncio.Future[None]) -> None:
        await wait
        raise ValueError("bad record")

    async def main() -> None:
        consumer = Consumer()
        room: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.01, room.set_result, None)
        with pytest.raises(ValueError, match="^bad record$"):
            await eager_wait_first(consumer, failing_later(room), consumer.suspend_flow.wait())

    asyncio.run(main())


def test_the_events_keep_their_waiters_where_the_hand_over_joins_them():
    async def main() -> None:
        consumer = Consumer()
        for event in (consumer.suspend_flow, consumer._stopped, consumer._crashed):
            waiting = asyncio.ensure_future(event.wait())
            await asyncio.sleep(0)
            assert len(event._waiters) == 1
            event.set()
            await waiting

    asyncio.run(main())
