"""Untrusted text as Rich `Text`: never parsed as markup, control characters made visible."""

from __future__ import annotations

from rich.text import Text

from servicecoach.sanitize import visible


def plain(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)
