"""Command lines of Sluice jobs: spark-submit (or its equivalent) or the ``./sluice`` launcher.

Pure functions and plain data, no Airflow: the hook resolves a :class:`Launcher` from its
arguments and connection, and :func:`build_command` turns a job into an argv list.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MAIN_CLASS = "dev.sluice.jobs.SluiceMain"
"""The CLI's entry point, the class spark-submit runs."""

SPARK_SUBMIT = "spark-submit"
"""Launcher mode: spark-submit options, the application jar, then the CLI arguments."""

CLI = "cli"
"""Launcher mode: the CLI arguments straight after the launcher (the repository's ``./sluice``)."""


@dataclass(frozen=True)
class Launcher:
    """How jobs are started.

    ``program`` is the launcher's argv prefix: ``["spark-submit"]``, ``["/opt/sluice/sluice"]`` or
    ``["java", "-cp", "...", "org.apache.spark.deploy.SparkSubmit"]``. In ``cli`` mode only the
    CLI arguments follow it; in ``spark-submit`` mode the spark-submit options, ``--class`` and
    the application jar come first.
    """

    program: tuple[str, ...] = (SPARK_SUBMIT,)
    mode: str = SPARK_SUBMIT
    application: str | None = None
    main_class: str = MAIN_CLASS
    master: str | None = None
    deploy_mode: str | None = None
    name: str | None = None
    jars: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    spark_conf: Mapping[str, str] = field(default_factory=dict)
    spark_submit_args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.program:
            raise ValueError("the launcher is empty: give a program such as spark-submit")
        if self.mode not in (SPARK_SUBMIT, CLI):
            raise ValueError(f"launcher mode {self.mode!r}: use {SPARK_SUBMIT!r} or {CLI!r}")
        if self.mode == SPARK_SUBMIT and not self.application:
            raise ValueError(
                "spark-submit needs the application jar (sluice-jobs-<version>-spark.jar): "
                "set application, or use the ./sluice launcher (mode 'cli')"
            )
        if self.mode == CLI and self.spark_submit_settings():
            raise ValueError(
                f"{', '.join(self.spark_submit_settings())}: spark-submit options, which the "
                f"{self.program[0]} launcher does not take; set Spark through -D settings "
                "(sluice.spark.master, sluice.spark.conf) instead"
            )

    def spark_submit_settings(self) -> list[str]:
        """The names of the spark-submit options that are set."""
        options = {
            "application": self.application,
            "master": self.master,
            "deploy_mode": self.deploy_mode,
            "name": self.name,
            "jars": self.jars,
            "packages": self.packages,
            "spark_conf": self.spark_conf,
            "spark_submit_args": self.spark_submit_args,
        }
        return [name for name, value in options.items() if value]


def launcher_program(launcher: str | Sequence[str]) -> tuple[str, ...]:
    """The launcher's argv prefix: a list as given, a string split like a shell would."""
    if isinstance(launcher, str):
        return tuple(shlex.split(launcher))
    return tuple(launcher)


def guess_mode(program: Sequence[str]) -> str:
    """``cli`` when the program is a ``sluice`` script, else ``spark-submit``."""
    return CLI if os.path.basename(program[0]) == "sluice" else SPARK_SUBMIT


@dataclass(frozen=True)
class Job:
    """One Sluice job: its command words and flags (docs/job-contract.md)."""

    command: str
    model: str | None = None
    date: str | None = None
    run_key: str | None = None
    conf_file: str | None = None
    defines: Mapping[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()

    def cli_args(self) -> list[str]:
        """The CLI's arguments, e.g. ``score --model churn --date 2026-10-30 -Dk=v``."""
        words = self.command.split()
        if not words:
            raise ValueError("the job is empty: give a command such as 'score' or 'quality check'")
        argv = list(words)
        argv += _flag("--model", self.model)
        argv += _flag("--date", self.date)
        argv += _flag("--run-key", self.run_key)
        argv += _flag("--conf", self.conf_file)
        argv += [f"-D{key}={value}" for key, value in self.defines.items()]
        argv += list(self.args)
        return argv


def run_key(*parts: str, date: str = "{{ ds }}") -> str:
    """A run key ending in a (templated) date: ``run_key("score", "churn")`` is
    ``score/churn/{{ ds }}``, the CLI's default key of ``score --model churn --date {{ ds }}``."""
    return "/".join([*parts, date])


def _flag(name: str, value: str | None) -> list[str]:
    """``[name, value]``, or nothing when the value is unset or empty."""
    return [name, str(value)] if value not in (None, "") else []


def spark_submit_options(launcher: Launcher) -> list[str]:
    """spark-submit's options up to and including the application jar."""
    options: list[str] = []
    options += _flag("--master", launcher.master)
    options += _flag("--deploy-mode", launcher.deploy_mode)
    options += _flag("--name", launcher.name)
    options += ["--class", launcher.main_class]
    options += _flag("--jars", ",".join(launcher.jars))
    options += _flag("--packages", ",".join(launcher.packages))
    for key, value in launcher.spark_conf.items():
        options += ["--conf", f"{key}={value}"]
    options += list(launcher.spark_submit_args)
    options.append(str(launcher.application))
    return options


def build_command(launcher: Launcher, job: Job) -> list[str]:
    """The full argv of ``job`` started by ``launcher``."""
    argv = list(launcher.program)
    if launcher.mode == SPARK_SUBMIT:
        argv += spark_submit_options(launcher)
    return argv + job.cli_args()
