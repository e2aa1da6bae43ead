"""The job contract's exit codes and the JSON summary line (docs/job-contract.md)."""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Exit codes of a Sluice job."""

    OK = 0
    INTERNAL = 1
    CONFIG = 2
    DATA_QUALITY = 3
    UPSTREAM_MISSING = 4
    DECISION = 5


class SummaryError(ValueError):
    """The job's last stdout line is missing or is not a JSON summary."""


def last_line(stdout_lines: list[str]) -> str | None:
    """The last non-blank line of a job's stdout, or None when it printed nothing."""
    for line in reversed(stdout_lines):
        if line.strip():
            return line.strip()
    return None


def parse_summary(line: str | None) -> dict[str, Any]:
    """The summary object of a job's last stdout line; :class:`SummaryError` when it is none."""
    if line is None:
        raise SummaryError("the job printed nothing on stdout, so there is no JSON summary line")
    try:
        summary = json.loads(line)
    except json.JSONDecodeError as e:
        raise SummaryError(
            f"the job's last stdout line is not a JSON summary ({e.msg}): {_clip(line)}"
        ) from None
    if not isinstance(summary, dict) or "job" not in summary or "status" not in summary:
        raise SummaryError(
            f"the job's last stdout line is JSON but no summary (no job and status): {_clip(line)}"
        )
    return summary


def describe(summary: dict[str, Any] | None) -> str:
    """One line naming a run for messages: ``score/churn/2026-10-30 (run 26de...) failed``."""
    if not summary:
        return "the job"
    key = summary.get("run_key") or summary.get("job")
    return f"{key} (run {summary.get('run_id')}) {summary.get('status')}"


def _clip(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters for an error message."""
    return text if len(text) <= limit else text[:limit] + "..."
