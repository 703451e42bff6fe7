"""`riskscorer classify`: JSONL on stdin, one line out per line in, on several processes (chunks
of lines classified in parallel and written in order, each process with its own copy of the
text model)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult
from pathlib import Path

import orjson

from scoring.text.classify import classify_stream
from scoring.text.model import TextModel
from streams.batch.rules_file import load_model

CHUNK = 2000  # lines per task: large enough that handing them over costs little

_model: TextModel | None = None


def _jsonl(obj: dict[str, object]) -> bytes:
    return orjson.dumps(obj) + b"\n"


def _start(model_file: Path | None) -> None:
    global _model
    _model = load_model(model_file)


def classify_chunk(task: tuple[int, list[bytes]], model: TextModel | None = None) -> tuple[bytes, str | None]:
    """The output lines of a chunk, and the error that stopped it (lines before it are kept)."""
    first, lines = task
    done: list[bytes] = []
    try:
        for out in classify_stream(lines, model or _model, orjson.loads, _jsonl, first_line=first):
            done.append(out)
    except ValueError as exc:
        return b"".join(done), str(exc)
    return b"".join(done), None


def _chunks(lines: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    it, first = iter(lines), 1
    while chunk := list(islice(it, CHUNK)):
        yield first, chunk
        first += len(chunk)


def classify(
    lines: Iterable[bytes], model: TextModel, model_file: Path | None, jobs: int
) -> Iterator[tuple[bytes, str | None]]:
    """Classified chunks in input order; `jobs` processes (1: this one)."""
    if jobs <= 1:
        yield from (classify_chunk(task, model) for task in _chunks(lines))
        return
    with multiprocessing.get_context("spawn").Pool(jobs, _start, (model_file,)) as pool:
        # At most two chunks per process in flight: input is read as output is written, so a
        # large stream or a slow reader never holds the whole input in memory.
        pending: deque[AsyncResult[tuple[bytes, str | None]]] = deque()
        for task in _chunks(lines):
            pending.append(pool.apply_async(classify_chunk, (task,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def main(args: list[str], model: TextModel, model_file: Path | None) -> int:
    """The command: exit status 0, or 2 with the line that stopped it named on stderr."""
    parser = argparse.ArgumentParser(
        prog="riskscorer classify",
        description="Read JSONL {id, kind, text} on stdin; write JSONL {id, labels, hits, scores, model_version}.")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes that classify (1: this one; default: one per core)")
    jobs = parser.parse_args(args).jobs
    out = sys.stdout.buffer
    for done, error in classify(sys.stdin.buffer, model, model_file, jobs):
        out.write(done)
        if error is not None:
            out.flush()
            print(f"riskscorer classify: {error}", file=sys.stderr)  # noqa: T201
            return 2
    out.flush()
    return 0
