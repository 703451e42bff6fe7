"""Text policy detectors: off-platform payment and contact, feedback manipulation, harassment, spam/scam.

Pure functions over one text and its context; obfuscation-aware; every hit carries its
policy, the rule that fired, a weight, spans into the original text and a plain reason.
"""

from scoring.text.detect import BY_PREVIOUS, analyze, detect_text, hit_to_dict, labels
from scoring.text.types import POLICIES, TextContext, TextHit

__all__ = ["BY_PREVIOUS", "POLICIES", "TextContext", "TextHit", "analyze", "detect_text", "hit_to_dict", "labels"]
