"""Import minutes from files: ``manage.py import_minutes FILE... [--body NAME]``.

Each file is imported on its own (a file that fails changes nothing and the
others still go in); one status line per file, a progress bar while many run,
and a non-zero exit status when any file failed.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from minutes.importing import ImportFailed, ImportResult, Status, body_from_option, import_file

_MARKS = {Status.CREATED: "+", Status.UPDATED: "~", Status.UNCHANGED: "=", Status.FAILED: "✗"}


class ProgressBar:
    """A one-line bar on a terminal, redrawn in place; silent when output is not a terminal."""

    def __init__(self, total: int, stream: OutputWrapper, width: int = 30) -> None:
        self.total, self.stream, self.width = total, stream, width
        self.enabled = total > 1 and stream.isatty()
        self.done = 0
        self.started = time.monotonic()

    def draw(self, label: str = "") -> None:
        if not self.enabled:
            return
        filled = self.width * self.done // self.total
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r\033[K[{bar}] {self.done}/{self.total} {label[:40]}", ending="")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K", ending="")
            self.stream.flush()

    def advance(self) -> None:
        self.done += 1


class Command(BaseCommand):
    help = "Importerer referater (.txt, .md, .docx, .pdf). Samme fil igen ændrer intet; en rettet udgave opdaterer mødet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Referatfiler")
        parser.add_argument(
            "--body", metavar="NAME",
            help="Forum (navn, kort navn eller forkortelse), når referatets overskrift ikke siger det.",
        )

    def handle(self, *args: Any, files: list[str], body: str | None = None, **options: Any) -> None:
        chosen = None
        if body:
            try:
                chosen = body_from_option(body)
            except ImportFailed as error:
                raise CommandError(error.message) from None
        bar = ProgressBar(len(files), self.stderr)
        results: list[ImportResult] = []
        for name in files:
            bar.draw(Path(name).name)
            result = self._import(Path(name), chosen)
            bar.clear()
            self._report(name, result)
            results.append(result)
            bar.advance()
        bar.draw()
        bar.clear()
        self._totals(results, time.monotonic() - bar.started)
        failed = sum(1 for r in results if not r.ok)
        if failed:
            raise CommandError(
                f"{failed} af {len(results)} filer kunne ikke importeres." if len(results) > 1
                else "Filen kunne ikke importeres."
            )

    def _import(self, path: Path, body: Any) -> ImportResult:
        try:
            data = path.read_bytes()
        except OSError as error:
            reason = "findes ikke" if isinstance(error, FileNotFoundError) else "kan ikke læses"
            return ImportResult(filename=str(path), status=Status.FAILED, message=f"Filen {reason}.")
        return import_file(data=data, filename=path.name, body=body)

    def _report(self, name: str, result: ImportResult) -> None:
        line = f"{_MARKS[result.status]} {name}: {result.message}"
        if result.status == Status.FAILED:
            self.stdout.write(self.style.ERROR(line))
        elif result.status == Status.UNCHANGED:
            self.stdout.write(line)
        else:
            self.stdout.write(self.style.SUCCESS(line))

    def _totals(self, results: list[ImportResult], seconds: float) -> None:
        if len(results) < 2:
            return
        counts = {status: sum(1 for r in results if r.status == status) for status in _MARKS}
        proposed = sum(r.proposed for r in results)
        self.stdout.write(
            f"{len(results)} filer på {seconds:.1f} s: {counts[Status.CREATED]} nye, {counts[Status.UPDATED]} opdateret, "
            f"{counts[Status.UNCHANGED]} uændret, {counts[Status.FAILED]} fejlet; {proposed} nye forslag til opfølgning."
        )
