"""SluiceOperator: one Sluice job as an Airflow task; its summary is the task's XCom."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from airflow.models import BaseOperator

from sluice_airflow.hook import SluiceHook


class SluiceOperator(BaseOperator):
    """Runs ``sluice <job>`` through :class:`SluiceHook` and returns the job's summary.

    The summary (``job, run_id, run_key, status, exit_code, decision, inputs, outputs, metrics,
    duration_ms``) is the task's return value, hence its XCom ``return_value``; the decision of a
    job that exited 5 (``{"action", "reason"}``, else None) is also pushed as XCom ``decision``
    for branching. ``date`` defaults to the logical date (``{{ ds }}``); ``run_key`` unset keeps
    the CLI's default (``<job>/<model if any>/<date>``).

    :param job: the command, e.g. ``"score"``, ``"canary analyze"``, ``"quality check"``
    :param model: ``--model``
    :param date: ``--date`` (templated; None leaves it out, e.g. with ``--from``/``--to``)
    :param run_key: ``--run-key`` (templated)
    :param conf_file: ``--conf`` (templated), else the hook's
    :param defines: ``-Dkey=value`` settings (templated), over the hook's
    :param args: further CLI arguments (templated), e.g. ``["--from", "{{ ds }}"]``
    :param sluice_conn_id: the Airflow connection with the hook's settings, if any
    :param hook_params: keyword arguments of :class:`SluiceHook` (launcher, application...)
    """

    template_fields: Sequence[str] = (
        "job",
        "model",
        "date",
        "run_key",
        "conf_file",
        "defines",
        "args",
    )
    ui_color = "#c6e2f5"

    def __init__(
        self,
        *,
        job: str,
        model: str | None = None,
        date: str | None = "{{ ds }}",
        run_key: str | None = None,
        conf_file: str | None = None,
        defines: Mapping[str, Any] | None = None,
        args: Sequence[Any] = (),
        sluice_conn_id: str | None = None,
        hook_params: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.model = model
        self.date = date
        self.run_key = run_key
        self.conf_file = conf_file
        self.defines = dict(defines or {})
        self.args = list(args)
        self.sluice_conn_id = sluice_conn_id
        self.hook_params = dict(hook_params or {})

    @cached_property
    def hook(self) -> SluiceHook:
        """The hook that runs this task's job."""
        return SluiceHook(self.sluice_conn_id, **self.hook_params)

    def execute(self, context: Mapping[str, Any]) -> dict[str, Any]:
        """Runs the job; returns its summary and pushes its decision as XCom ``decision``."""
        summary = self.hook.run_job(
            self.job,
            model=self.model,
            date=self.date,
            run_key=self.run_key,
            conf_file=self.conf_file,
            defines=self.defines,
            args=self.args,
        )
        task_instance = context.get("ti")
        if task_instance is not None:
            task_instance.xcom_push(key="decision", value=summary.get("decision"))
        return summary

    def on_kill(self) -> None:
        """Stops the job's process when Airflow kills the task."""
        if "hook" in self.__dict__:  # the job was started
            self.hook.kill()
