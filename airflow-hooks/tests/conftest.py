"""Test fixtures, and a stub of the Airflow API for machines without Airflow.

The stub is inserted into ``sys.modules`` only when ``airflow`` cannot be imported. It holds just
what sluice_airflow and its DAGs use, with Airflow 2.x's names: ``airflow.DAG`` (a context
manager), ``airflow.models.BaseOperator`` (``>>``/``<<``, ``template_fields``,
``render_template_fields``, ``default_args``), ``airflow.hooks.base.BaseHook`` (``log``,
``get_connection`` from ``AIRFLOW_CONN_<ID>`` JSON as Airflow reads it) and the exceptions.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest


class AirflowException(Exception):
    """Stub: a task failure that Airflow retries while the task has retries."""


class AirflowFailException(AirflowException):
    """Stub: a task failure that Airflow does not retry."""


class AirflowNotFoundException(AirflowException):
    """Stub: a connection that does not exist."""


class Connection:
    """Stub: an Airflow connection; only the extra is read."""

    def __init__(self, conn_id: str, extra: dict[str, Any] | None = None) -> None:
        self.conn_id = conn_id
        self.extra_dejson = extra or {}


class BaseHook:
    """Stub of airflow.hooks.base.BaseHook."""

    def __init__(self, logger_name: str | None = None) -> None:
        self.log = logging.getLogger(logger_name or f"airflow.task.hooks.{type(self).__name__}")

    @classmethod
    def get_connection(cls, conn_id: str) -> Connection:
        """A connection from the environment variable AIRFLOW_CONN_<ID> (JSON), as Airflow."""
        value = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
        if value is None:
            raise AirflowNotFoundException(f"The conn_id `{conn_id}` isn't defined")
        return Connection(conn_id, json.loads(value).get("extra"))


class DAG:
    """Stub of airflow.DAG: collects the operators created inside ``with DAG(...)``."""

    _current: list[DAG] = []

    def __init__(self, dag_id: str, **kwargs: Any) -> None:
        self.dag_id = dag_id
        self.default_args = kwargs.pop("default_args", None) or {}
        self.__dict__.update(kwargs)
        self.task_dict: dict[str, BaseOperator] = {}

    def __enter__(self) -> DAG:
        DAG._current.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        DAG._current.pop()

    @property
    def tasks(self) -> list[BaseOperator]:
        return list(self.task_dict.values())


_TEMPLATE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _render(value: Any, context: dict[str, Any]) -> Any:
    """Stub Jinja: replaces ``{{ name }}`` by context[name] in strings, lists and dicts."""
    if isinstance(value, str):
        return _TEMPLATE.sub(lambda m: str(context[m.group(1)]), value)
    if isinstance(value, (list, tuple)):
        return type(value)(_render(item, context) for item in value)
    if isinstance(value, dict):
        return {key: _render(item, context) for key, item in value.items()}
    return value


class BaseOperator:
    """Stub of airflow.models.BaseOperator."""

    template_fields: tuple[str, ...] = ()

    def __init__(
        self, *, task_id: str, dag: DAG | None = None, default_args: dict | None = None, **kwargs
    ) -> None:
        self.task_id = task_id
        self.dag = dag or (DAG._current[-1] if DAG._current else None)
        defaults = {**(self.dag.default_args if self.dag else {}), **(default_args or {})}
        self.retries = kwargs.pop("retries", defaults.get("retries", 0))
        self.retry_delay = kwargs.pop("retry_delay", defaults.get("retry_delay"))
        self.__dict__.update(kwargs)
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()
        if self.dag is not None:
            self.dag.task_dict[task_id] = self
        self.log = logging.getLogger(f"airflow.task.operators.{type(self).__name__}")

    def set_downstream(self, others: BaseOperator | list[BaseOperator]) -> None:
        for other in others if isinstance(others, list) else [others]:
            self.downstream_task_ids.add(other.task_id)
            other.upstream_task_ids.add(self.task_id)

    def __rshift__(self, other):
        self.set_downstream(other)
        return other

    def __rrshift__(self, other):
        for task in other:
            task.set_downstream(self)
        return self

    def __lshift__(self, other):
        for task in other if isinstance(other, list) else [other]:
            task.set_downstream(self)
        return other

    def render_template_fields(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        for name in self.template_fields:
            setattr(self, name, _render(getattr(self, name), context))


def _install_airflow_stub() -> None:
    """Registers the stub modules unless a real Airflow is importable."""
    try:
        import airflow  # noqa: F401
        return
    except ImportError:
        pass
    modules = {
        "airflow": {"DAG": DAG, "AirflowException": AirflowException},
        "airflow.exceptions": {
            "AirflowException": AirflowException,
            "AirflowFailException": AirflowFailException,
            "AirflowNotFoundException": AirflowNotFoundException,
        },
        "airflow.hooks": {},
        "airflow.hooks.base": {"BaseHook": BaseHook},
        "airflow.models": {"BaseOperator": BaseOperator, "DAG": DAG, "Connection": Connection},
    }
    for name, attributes in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        module.__airflow_stub__ = True
        sys.modules[name] = module


_install_airflow_stub()

HOOKS_DIR = Path(__file__).resolve().parents[1]
"""airflow-hooks/ in the repository."""

REPO_ROOT = HOOKS_DIR.parent

FAKE_LAUNCHER = textwrap.dedent(
    """\
    #!{python}
    # A stand-in for spark-submit or ./sluice: records its argv, cwd and environment, then prints
    # the scripted stderr and stdout and exits with the scripted code.
    import json, os, sys, time
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "calls.jsonl"), "a") as calls:
        calls.write(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(),
                                "env": dict(os.environ)}}) + "\\n")
    with open(os.path.join(here, "script.json")) as f:
        script = json.load(f)
    sys.stderr.write(script["stderr"])
    sys.stderr.flush()
    time.sleep(script["sleep"])
    sys.stdout.write(script["stdout"])
    sys.exit(script["exit_code"])
    """
)


class FakeLauncher:
    """A launcher script in a temporary folder that prints what a test scripts for it."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.path = folder / name
        self.path.write_text(FAKE_LAUNCHER.format(python=sys.executable))
        self.path.chmod(0o755)
        self.script(stdout="", exit_code=0)

    def script(self, *, stdout: str, exit_code: int, stderr: str = "", sleep: float = 0) -> None:
        """What the next runs print (stderr, then after ``sleep`` seconds stdout) and exit with."""
        state = {"stdout": stdout, "stderr": stderr, "exit_code": exit_code, "sleep": sleep}
        (self.folder / "script.json").write_text(json.dumps(state))

    def calls(self) -> list[dict[str, Any]]:
        """Each run so far: its argv (without the launcher), cwd and environment."""
        log = self.folder / "calls.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]


@pytest.fixture
def fake_spark_submit(tmp_path: Path) -> FakeLauncher:
    """A fake spark-submit (the hook's spark-submit mode)."""
    folder = tmp_path / "spark-bin"
    folder.mkdir()
    return FakeLauncher(folder, "spark-submit")


@pytest.fixture
def fake_sluice(tmp_path: Path) -> FakeLauncher:
    """A fake ./sluice (the hook's cli mode)."""
    folder = tmp_path / "sluice-bin"
    folder.mkdir()
    return FakeLauncher(folder, "sluice")


def summary_line(**fields: Any) -> str:
    """A job's summary line with the contract's fields, overridden by ``fields``."""
    summary = {
        "job": "score",
        "run_id": "26de3817-0000-4000-8000-000000000000",
        "run_key": "score/churn/2026-10-30",
        "status": "succeeded",
        "exit_code": 0,
        "decision": None,
        "inputs": [{"table": "features_activity", "version": 3}],
        "outputs": [{"table": "predictions", "version": 7}],
        "metrics": {"rows": 60},
        "duration_ms": 1234,
    }
    summary.update(fields)
    return json.dumps(summary)
