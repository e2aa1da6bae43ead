"""Building blocks of Sluice DAGs: one task per job with the CLI's run key, shared DAG settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sluice_airflow.command import run_key as make_run_key
from sluice_airflow.operator import SluiceOperator

DAG_DEFAULTS: dict[str, Any] = {
    "catchup": False,
    "max_active_runs": 1,
    "default_args": {"owner": "sluice", "retries": 3, "retry_delay": timedelta(minutes=20)},
    "tags": ["sluice"],
}
"""Settings of the shipped DAGs: one run at a time (a night's canary and drift windows follow the
previous night's), no catch-up, and retries for exit 4 (upstream missing) and 1 (run key busy)."""


def sluice_stage(
    job: str,
    key: str,
    *,
    model: str | None = None,
    date: str | None = "{{ ds }}",
    run_key: str | None = None,
    **operator_args: Any,
) -> SluiceOperator:
    """A task running ``sluice <job>``; its task id is the job's words joined by ``_``.

    :param job: the command, e.g. ``"canary analyze"``
    :param key: the job's name in run keys, e.g. ``"canary-analyze"``
    :param model: ``--model``, also part of the run key
    :param date: ``--date`` (templated) and the run key's date
    :param run_key: a run key other than ``key/model/date``
    :param operator_args: further :class:`SluiceOperator` arguments (sluice_conn_id, args...)
    """
    parts = [key] if model is None else [key, model]
    return SluiceOperator(
        task_id=job.replace(" ", "_").replace("-", "_"),
        job=job,
        model=model,
        date=date,
        run_key=run_key or make_run_key(*parts, date=date or "{{ ds }}"),
        **operator_args,
    )
