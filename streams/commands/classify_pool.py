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


def classify_chunk(task: tuple[int, list[bytes]], model: TextModel | None = None) -> tuple[bytes, list[str]]:
    """The output lines of a chunk (an error line in place of each bad one), and their errors."""
    first, lines = task
    errors: list[str] = []
    done = b"".join(classify_stream(lines, model or _model, orjson.loads, _jsonl, first_line=first, errors=errors))
    return done, errors


def _chunks(lines: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    it, first = iter(lines), 1
    while chunk := list(islice(it, CHUNK)):
        yield first, chunk
        first += len(chunk)


def classify(
    lines: Iterable[bytes], model: TextModel, model_file: Path | None, jobs: int
) -> Iterator[tuple[bytes, list[str]]]:
    """Classified chunks in input order; `jobs` processes (1: this one)."""
    if jobs <= 1:
        yield from (classify_chunk(task, model) for task in _chunks(lines))
        return
    with multiprocessing.get_context("spawn").Pool(jobs, _start, (model_file,)) as pool:
        # At most two chunks per process in flight: input is read as output is written, so a
        # large stream or a slow reader never holds the whole input in memory.
        pending: deque[AsyncResult[tuple[bytes, list[str]]]] = deque()
        for task in _chunks(lines):
            pending.append(pool.apply_async(classify_chunk, (task,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


MAX_JOBS = 64
ERRORS_SHOWN = 20  # bad lines named on stderr; the rest are counted (each has its error line)


def _jobs(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_JOBS}")
    return int(raw)


def _say(line: str) -> None:
    print(f"riskscorer classify: {line}", file=sys.stderr)  # noqa: T201


def main(args: list[str], model: TextModel, model_file: Path | None) -> int:
    """The command: every line classified, a bad one answered by an error line in its place and
    named on stderr; exit status 0, 2 when a line was bad, 1 when the output could not be written."""
    parser = argparse.ArgumentParser(
        prog="riskscorer classify",
        description="Read JSONL {id, kind, text} on stdin; write JSONL {id, labels, hits, scores, model_version}, "
                    "or {line, error, id} in place of a line that is not one.")
    parser.add_argument("--jobs", type=_jobs, default=min(os.cpu_count() or 1, MAX_JOBS),
                        help=f"processes that classify (1: this one; default: one per core, at most {MAX_JOBS})")
    jobs = parser.parse_args(args).jobs
    out, bad = sys.stdout.buffer, 0
    try:
        for done, errors in classify(sys.stdin.buffer, model, model_file, jobs):
            out.write(done)
            for error in errors[: max(0, ERRORS_SHOWN - bad)]:
                _say(error)
            bad += len(errors)
        out.flush()
    except BrokenPipeError:
        sys.stdout = None  # the reader left: nothing more to say to it (no flush at exit)
        return 1
    except OSError as exc:
        _say(f"cannot write the output: {exc.strerror or exc}")
        return 1
    if bad:
        _say(f"{bad} line(s) could not be classified; each has an error line in the output")
    return 2 if bad else 0
