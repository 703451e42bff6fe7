"""The garbage collector kept off what a process keeps for its life.

A full collection walks every tracked object: with the text model's rows and the app's tables in
view it paused a worker or scoring process for 20-90 ms, and every event in a batch it fell in
waited as long. `settle` collects once, then freezes what is alive (imports, the rules and text
model, the app as started): later collections walk only what was allocated since. Frozen objects
are still freed by reference counting when dropped (a model replaced by a reload).
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect, then keep everything alive now out of later collections."""
    gc.collect()
    gc.freeze()
