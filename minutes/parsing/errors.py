"""The one error the parsing package raises.

Every failure a secretary can cause by uploading the wrong file ends up here,
with a message in Danish for the page and one in English for logs and admins.
"""
from __future__ import annotations


class ParseError(Exception):
    """A file could not be turned into minutes.

    ``str(error)`` is the Danish message, because that is what the upload page
    shows; ``message_en`` is kept for logs.
    """

    EMPTY = "empty_file"
    TOO_LARGE = "file_too_large"
    UNSUPPORTED = "unsupported_format"
    CORRUPT = "corrupt_file"
    PDF_WITHOUT_TEXT = "pdf_without_text"
    UNDECODABLE = "undecodable_text"
    NOT_MINUTES = "not_minutes"

    def __init__(self, code: str, message_da: str, message_en: str) -> None:
        super().__init__(message_da)
        self.code = code
        self.message_da = message_da
        self.message_en = message_en

    def __str__(self) -> str:
        return self.message_da

    def __repr__(self) -> str:
        return f"ParseError({self.code!r}, {self.message_en!r})"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message_da, "message_en": self.message_en}
