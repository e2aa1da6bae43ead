"""SluiceHook: runs one Sluice job and turns its exit code and summary line into an outcome."""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from airflow.hooks.base import BaseHook

from sluice_airflow.command import (
    MAIN_CLASS,
    Job,
    Launcher,
    build_command,
    guess_mode,
    launcher_program,
)
from sluice_airflow.exceptions import (
    SluiceDataQualityFailed,
    SluiceConfigError,
    SluiceJobError,
    SluiceUpstreamMissing,
)
from sluice_airflow.summary import ExitCode, SummaryError, describe, last_line, parse_summary

SETTINGS = (
    "launcher",
    "mode",
    "application",
    "main_class",
    "master",
    "deploy_mode",
    "name",
    "jars",
    "packages",
    "spark_conf",
    "spark_submit_args",
    "conf_file",
    "defines",
    "env",
    "cwd",
)
"""The hook's settings: its keyword arguments and the keys of its connection's extra."""

MEANINGS = {
    ExitCode.INTERNAL: "internal error, or the run key is already running",
    ExitCode.CONFIG: "bad config or arguments; not retried",
    ExitCode.DATA_QUALITY: "data-quality gate failed; not retried",
    ExitCode.UPSTREAM_MISSING: "upstream input missing; retried later",
}


@dataclass(frozen=True)
class Finished:
    """What a finished job process left: its exit code, last stdout line and stderr tail."""

    exit_code: int
    last_stdout_line: str | None
    stderr_tail: tuple[str, ...]


class SluiceHook(BaseHook):
    """Runs Sluice jobs through spark-submit (or an equivalent launcher) or ``./sluice``.

    Settings come from the keyword arguments, then from the extra of the Airflow connection
    ``sluice_conn_id`` (a JSON object with the same keys), then defaults: launcher
    ``spark-submit``, main class ``dev.sluice.jobs.SluiceMain``. The mode is ``cli`` when the
    launcher is a ``sluice`` script (no spark-submit options, only the CLI's arguments), else
    ``spark-submit`` (``application``, the thin jar, is then required).
    """

    conn_name_attr = "sluice_conn_id"
    default_conn_name = "sluice_default"
    conn_type = "generic"
    hook_name = "Sluice"

    def __init__(
        self,
        sluice_conn_id: str | None = None,
        *,
        launcher: str | Sequence[str] | None = None,
        mode: str | None = None,
        application: str | None = None,
        main_class: str | None = None,
        master: str | None = None,
        deploy_mode: str | None = None,
        name: str | None = None,
        jars: Sequence[str] | None = None,
        packages: Sequence[str] | None = None,
        spark_conf: Mapping[str, str] | None = None,
        spark_submit_args: Sequence[str] | None = None,
        conf_file: str | None = None,
        defines: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        stderr_tail_lines: int = 40,
    ) -> None:
        super().__init__()
        self.sluice_conn_id = sluice_conn_id
        given = locals()  # the arguments, by name
        self._given = {key: given[key] for key in SETTINGS if given[key] is not None}
        self.stderr_tail_lines = stderr_tail_lines
        self._settings: dict[str, Any] | None = None
        self._process: subprocess.Popen[str] | None = None

    def settings(self) -> dict[str, Any]:
        """The keyword arguments over the connection's extra (read once)."""
        if self._settings is None:
            self._settings = {**self._connection_settings(), **self._given}
        return self._settings

    def _connection_settings(self) -> dict[str, Any]:
        """The known keys of the connection's extra; none without a connection id."""
        if not self.sluice_conn_id:
            return {}
        extra = dict(self.get_connection(self.sluice_conn_id).extra_dejson)
        unknown = sorted(set(extra) - set(SETTINGS))
        if unknown:
            self.log.warning(
                "Connection %s: ignoring unknown extra keys %s (known: %s)",
                self.sluice_conn_id,
                unknown,
                ", ".join(SETTINGS),
            )
        return {key: value for key, value in extra.items() if key in SETTINGS}

    def launcher(self) -> Launcher:
        """The launcher these settings describe."""
        settings = self.settings()
        program = launcher_program(settings.get("launcher", "spark-submit"))
        return Launcher(
            program=program,
            mode=settings.get("mode") or guess_mode(program),
            application=settings.get("application"),
            main_class=settings.get("main_class", MAIN_CLASS),
            master=settings.get("master"),
            deploy_mode=settings.get("deploy_mode"),
            name=settings.get("name"),
            jars=tuple(settings.get("jars", ())),
            packages=tuple(settings.get("packages", ())),
            spark_conf=dict(settings.get("spark_conf", {})),
            spark_submit_args=tuple(settings.get("spark_submit_args", ())),
        )

    def job(
        self,
        command: str,
        *,
        model: str | None = None,
        date: str | None = None,
        run_key: str | None = None,
        conf_file: str | None = None,
        defines: Mapping[str, Any] | None = None,
        args: Iterable[Any] = (),
    ) -> Job:
        """A job with the hook's conf file and ``-D`` settings under the job's own."""
        settings = self.settings()
        merged = {**settings.get("defines", {}), **(defines or {})}
        return Job(
            command=command,
            model=model,
            date=date,
            run_key=run_key,
            conf_file=conf_file or settings.get("conf_file"),
            defines={str(key): str(value) for key, value in merged.items()},
            args=tuple(str(arg) for arg in args),
        )

    def build_command(self, command: str, **job: Any) -> list[str]:
        """The argv that runs ``command`` (keyword arguments as in :meth:`job`)."""
        return build_command(self.launcher(), self.job(command, **job))

    def run_job(self, command: str, **job: Any) -> dict[str, Any]:
        """Runs a job to its end and returns its summary.

        Exit 0 and 5 (a policy decision, in the summary's ``decision``) return the summary; the
        other exit codes raise: 3 :class:`SluiceDataQualityFailed` (no retry), 4
        :class:`SluiceUpstreamMissing` (retried), 2 :class:`SluiceConfigError` (no retry), 1 and
        others :class:`SluiceJobError` (retried).
        """
        argv = self.build_command(command, **job)
        self.log.info("Running: %s", shlex.join(argv))
        finished = self._execute(argv)
        summary = outcome(finished)
        if summary.get("decision"):
            decision = summary["decision"]
            self.log.info(
                "Sluice decided: %s (%s)", decision.get("action"), decision.get("reason")
            )
        return summary

    def _execute(self, argv: list[str]) -> Finished:
        """Runs ``argv``, logging its stdout and stderr lines as they come."""
        settings = self.settings()
        env = {**os.environ, **settings.get("env", {})}
        stderr_tail: deque[str] = deque(maxlen=self.stderr_tail_lines)
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            bufsize=1,
            env=env,
            cwd=settings.get("cwd"),
        )
        self._process = process
        try:
            stderr_reader = threading.Thread(
                target=self._log_lines, args=(process.stderr, stderr_tail), daemon=True
            )
            stderr_reader.start()
            stdout_tail: deque[str] = deque(maxlen=1)
            self._log_lines(process.stdout, stdout_tail, skip_blank=True)
            exit_code = process.wait()
            stderr_reader.join()
        finally:
            self.kill()
            self._process = None
        return Finished(exit_code, last_line(list(stdout_tail)), tuple(stderr_tail))

    def _log_lines(self, stream: IO[str], tail: deque[str], skip_blank: bool = False) -> None:
        """Logs each line of ``stream`` and keeps the last ones in ``tail``."""
        for raw in stream:
            line = raw.rstrip("\n")
            self.log.info("%s", line)
            if line.strip() or not skip_blank:
                tail.append(line)

    def kill(self, grace_seconds: float = 30) -> None:
        """Stops the running job, if any: SIGTERM, then SIGKILL after ``grace_seconds``."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        self.log.warning("Stopping the Sluice job (pid %s)", process.pid)
        process.terminate()
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def outcome(finished: Finished) -> dict[str, Any]:
    """The summary of a job that succeeded or decided; raises for the others (see run_job)."""
    code = finished.exit_code
    if code in (ExitCode.OK, ExitCode.DECISION):
        try:
            return parse_summary(finished.last_stdout_line)
        except SummaryError as e:
            raise SluiceJobError(f"the job exited {code}, but {e}", code) from None
    summary = _summary_if_any(finished.last_stdout_line)
    message = failure_message(code, summary, finished.stderr_tail)
    if code == ExitCode.DATA_QUALITY:
        raise SluiceDataQualityFailed(message, code, summary)
    if code == ExitCode.UPSTREAM_MISSING:
        raise SluiceUpstreamMissing(message, code, summary)
    if code == ExitCode.CONFIG:
        raise SluiceConfigError(message, code, summary)
    raise SluiceJobError(message, code, summary)


def _summary_if_any(line: str | None) -> dict[str, Any] | None:
    """The summary a failed job printed; None when it printed none (e.g. a usage error)."""
    try:
        return parse_summary(line)
    except SummaryError:
        return None


def failure_message(code: int, summary: dict[str, Any] | None, stderr_tail: Sequence[str]) -> str:
    """What failed and why: the run, the exit code's meaning, the job's error or stderr's tail."""
    if code < 0:
        meaning = f"killed by signal {-code}"
    else:
        meaning = MEANINGS.get(code, "not a Sluice exit code: did the launcher fail?")
    error = (summary or {}).get("error")
    detail = error if error else "\n".join(stderr_tail[-10:]) or "(nothing on stderr)"
    return f"{describe(summary)}: exit {code} ({meaning}): {detail}"
