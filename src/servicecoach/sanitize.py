"""Make untrusted text safe to show in a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Replace control characters (ESC, BEL, NUL, ...) by a visible `\\x1b`-style escape, so a
    playbook or an answer can never move the cursor, clear the screen or ring the bell."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
