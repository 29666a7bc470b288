"""Marking sentences in a meeting's text: follow-up quotes, proposals under review.

The text is the minutes as imported (never trusted HTML): everything is escaped
and only the <mark> elements added here are markup. Spans are character offsets
into ``Meeting.text``, the same offsets the parser gives each follow-up, so a
slice of the text can be shown with the marks that fall inside it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    """A stretch of the text to mark, with optional HTML attributes for the <mark>."""

    start: int
    end: int
    css_class: str = ""
    id: str = ""
    title: str = ""
    data: dict[str, str] = field(default_factory=dict)

    def open_tag(self) -> SafeString:
        attrs = [format_html(' id="{}"', self.id)] if self.id else []
        if self.css_class:
            attrs.append(format_html(' class="{}"', self.css_class))
        if self.title:
            attrs.append(format_html(' title="{}"', self.title))
        attrs.extend(format_html(' data-{}="{}"', key, value) for key, value in sorted(self.data.items()))
        return mark_safe("<mark" + "".join(attrs) + ">")


def highlight_spans(text: str, spans: Iterable[Span], *, offset: int = 0) -> SafeString:
    """``text`` as escaped HTML with each span wrapped in <mark>.

    ``text`` may be a slice of the whole minutes starting at ``offset``; spans are
    given in whole-text offsets and are clipped to the slice. Overlapping spans
    cannot nest in HTML, so a span that starts inside an earlier one begins where
    the earlier one ends (and is dropped if nothing is left of it).
    """
    end_of_text = offset + len(text)
    parts: list[str] = []
    position = offset
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        start = max(span.start, position, offset)
        end = min(span.end, end_of_text)
        if end <= start:
            continue
        parts.append(conditional_escape(text[position - offset:start - offset]))
        parts.append(span.open_tag())
        parts.append(conditional_escape(text[start - offset:end - offset]))
        parts.append("</mark>")
        position = end
    parts.append(conditional_escape(text[position - offset:]))
    return mark_safe("".join(parts))


def find_span(text: str, needle: str, *, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``text[start:end]``, in whole-text offsets; None when it does not."""
    needle = needle.strip()
    if not needle:
        return None
    found = text.find(needle, start, len(text) if end is None else end)
    return None if found < 0 else (found, found + len(needle))
