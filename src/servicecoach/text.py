"""The one path from untrusted text to a terminal.

Playbooks, file names, answers, config values and arguments come from outside. Before any of
them is shown they pass through here: `visible` turns control characters (ESC, BEL, NUL, C1
codes, ...) into visible `\\x1b`-style escapes, so no text can move the cursor, clear the
screen or ring the bell; `plain` makes that text a Rich `Text`, which is never parsed as
markup, so `[bold]` or `[link=...]` stays literal; `markup_safe` is the same for text that Rich
will parse as markup (Typer's help); `json_safe` escapes what JSON itself leaves raw.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with every control character but tab and newline shown as `\\xNN`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def json_safe(data: str) -> str:
    """JSON text with DEL and the C1 controls (U+007F-U+009F, which `json.dumps` leaves raw and
    terminals act on: U+009B is a CSI) escaped as `\\u00XX`: the same JSON, safe anywhere."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", data)


def plain(text: str, style: str = "") -> Text:
    """`text` as a Rich `Text` in `style`: control characters made visible, never markup."""
    from rich.text import Text  # Rich only where something is drawn with it

    return Text(visible(text), style=style)


def markup_safe(text: str) -> str:
    """`text` for a place where Rich reads markup (help texts): visible, its brackets escaped,
    so `[link=...]`, `[conceal]` or a stray `[/bold]` is shown as written."""
    from rich.markup import escape

    return escape(visible(text))
