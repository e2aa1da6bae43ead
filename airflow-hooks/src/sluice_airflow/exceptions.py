"""What a failed Sluice job raises in Airflow, by exit code (docs/job-contract.md).

Airflow retries a task that raised :class:`AirflowException` (while it has retries left) and
never retries one that raised :class:`AirflowFailException`.
"""

from __future__ import annotations

from typing import Any

from airflow.exceptions import AirflowException, AirflowFailException


class _JobFailure:
    """The exit code and (when the job printed one) the summary of a failed job."""

    def __init__(self, message: str, exit_code: int, summary: dict[str, Any] | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.summary = summary


class SluiceJobError(_JobFailure, AirflowException):
    """Exit 1 (internal error, or the run key is running) or a code outside the contract
    (spark-submit failed, the process was killed); retried if the task has retries."""


class SluiceUpstreamMissing(SluiceJobError):
    """Exit 4: an upstream input (snapshot, source table, version) is missing; retried later."""


class SluiceDataQualityFailed(_JobFailure, AirflowFailException):
    """Exit 3: a data-quality gate failed at error level; the task fails without retry."""


class SluiceConfigError(_JobFailure, AirflowFailException):
    """Exit 2: bad config or arguments; a retry would fail the same way, so the task fails
    without retry (docs/job-contract.md)."""
