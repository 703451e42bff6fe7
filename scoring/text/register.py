"""The register of a text: software and support talk, which names payment services, messengers
and phone numbers as things being built, configured or broken, not as ways to pay or to talk.

The cue is one feature the learned stage weighs (`q:devtalk`), with the span of its first
match: a bug report about a checkout SDK and a request to add crypto payments to a product
share it, where their vocabulary differs.
"""

from __future__ import annotations

from scoring.text.rx import Rx, words

# Words of building and running software, and of a product's support: none asks anyone to pay,
# to write elsewhere or to do unpaid work. Left out, as a payment ask or a refusal uses them too:
# "exception", "support for", "payment method", and dotted numbers (a date, "12.05.2026", reads
# like a version).
_DEVTALK = (
    "sdk", "sdks", "api", "apis", "sandbox", "endpoints?", "webhooks?", "plugins?", "repo", "repository",
    "pull request", "merge request", "stack ?trace", "traceback", "error (?:code|message)",
    "bug", "bugs", "regression", "documentation", "docs", "readme", "changelog", "release notes",
    "npm", "pip install", "dependency", "dependencies", "config", "configuration", "deploy(?:ed|ment)?",
    "backend", "frontend", "integrat(?:e|ed|ing|ion)", "payment (?:processor|gateway)s?",
    "merchant account", "feature request", "add support for", "unit tests?", "compile",
    "library", "framework",
)
DEVTALK = Rx(r"\b" + words(*_DEVTALK) + r"\b")
