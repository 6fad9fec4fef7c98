"""Did-you-mean suggestions for mistyped ids and field names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest choice to ``word``, or None."""
    matches = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, ids: Iterable[str], names: Mapping[str, str] | None = None,
                 label: Mapping[str, str] | None = None) -> str:
    """A Chinese hint: ``是否想写“xinbei”（新北街道）？``, or empty.

    ``names`` maps display names (and other aliases) to ids, so that an editor
    who wrote the Chinese name is told the id to use.
    """
    ids = list(ids)
    word = str(word).strip()
    if names:
        if word in names:
            ident = names[word]
            return f"“{word}”是名称，这里要写编号：{ident}"
        partial = [ident for name, ident in names.items() if word and (word in name or name in word)]
        if len(set(partial)) == 1:
            return f"是否想写“{partial[0]}”（{_name_of(partial[0], names)}）？"
    match = closest(word, ids)
    if match:
        shown = _name_of(match, names) if names else (label or {}).get(match, "")
        return f"是否想写“{match}”{f'（{shown}）' if shown else ''}？"
    return ""


def _name_of(ident: str, names: Mapping[str, str]) -> str:
    for name, value in names.items():
        if value == ident:
            return name
    return ""
