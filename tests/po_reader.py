"""A tiny reader of gettext .po files for the translation tests (polib is not a dependency):
each entry's context, msgid and msgstr(s), with C escapes undone. Obsolete (#~) entries and
the header are left out."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular entry
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags


def _string(text: str) -> str:
    return ast.literal_eval(text.strip())  # a C string literal is a Python one here


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    key: tuple[str, int] | None = None

    def close() -> None:
        nonlocal entry, key
        if key is not None and entry.msgid:
            entries.append(entry)
        entry, key = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("#,"):
            if key is not None and key[0] == "msgstr":
                close()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            if key is not None and key[0] == "msgstr":
                close()
        elif line.startswith('"'):
            name, index = key  # type: ignore[misc]
            if name == "msgstr":
                entry.msgstr[index] += _string(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + _string(line))
        else:
            word, _space, rest = line.partition(" ")
            if word == "msgctxt" and key is not None and key[0] == "msgstr":
                close()
            if word.startswith("msgstr"):
                index = int(word[7:-1]) if "[" in word else 0
                key = ("msgstr", index)
                entry.msgstr[index] = _string(rest)
            elif word == "msgid" and key is not None and key[0] == "msgstr":
                close()
                key = ("msgid", 0)
                entry.msgid = _string(rest)
            else:
                key = (word, 0)
                setattr(entry, word, _string(rest))
    close()
    return entries
