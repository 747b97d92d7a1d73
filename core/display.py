"""File names as they may be shown in logs, terminal lines and messages.

A file name is chosen by whoever made the file: a newline in it forges a second log line, a
right-to-left override (U+202E) makes `报告\u202efdp.exe` read as `报告exe.pdf`, and terminal escape
sequences can rewrite the screen. Such characters are written as visible escapes (`\\n`, `\\u202e`);
everything else, Chinese included, stays as it is. Names are stored unchanged (they are identities);
only what is displayed is escaped.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _unsafe(ch: str) -> bool:
    # Cc: C0/C1 controls (ESC, newline, DEL…); Cf: format characters, incl. the bidi embeddings,
    # overrides and isolates (U+202A–202E, U+2066–2069), marks (U+200E/F, U+061C) and zero-width
    # joiners; Zl/Zp: the Unicode line and paragraph separators
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def safe_name(name: str) -> str:
    """`name` with control, format (bidi) and line-separator characters escaped; a backslash is kept."""
    if not any(_unsafe(ch) for ch in name):
        return name
    out = []
    for ch in name:
        if not _unsafe(ch):
            out.append(ch)
        elif ch in _NAMED:
            out.append(_NAMED[ch])
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)
