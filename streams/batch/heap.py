"""The garbage collector kept off what a process keeps for its life.

A full collection walks every tracked object: with the text model's rows and the app's tables in
view it paused a worker or scoring process for 20-90 ms, and every event in a batch it fell in
waited as long. `settle` collects once, then freezes what is alive (imports, the rules and text
model, the app as started): later collections walk only what was allocated since. It unfreezes
first: a model dropped for new rules sits in reference cycles (its memo's readings point back at
it), which only a collection that sees them frees.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect everything, frozen before or not, then keep what is alive now out of later
    collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
