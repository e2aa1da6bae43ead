"""SluiceOperator: templated fields, the summary as XCom, the decision for branching, on_kill."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from airflow import DAG
from conftest import summary_line

from sluice_airflow import SluiceJobError, SluiceOperator


class TaskInstance:
    """Records XCom pushes, as Airflow's TaskInstance would store them."""

    def __init__(self) -> None:
        self.xcom: dict[str, object] = {}

    def xcom_push(self, key: str, value: object) -> None:
        self.xcom[key] = value


def operator(launcher, **kwargs) -> SluiceOperator:
    """An operator of a throwaway DAG running on ``launcher``."""
    with DAG("test_dag", start_date=datetime(2026, 1, 1), schedule=None):
        return SluiceOperator(
            task_id="task", hook_params={"launcher": str(launcher.path)}, **kwargs
        )


def test_date_and_run_key_are_templated_and_the_date_defaults_to_ds(fake_sluice):
    task = operator(fake_sluice, job="score", model="churn", run_key="score/churn/{{ ds }}")

    assert {"job", "model", "date", "run_key", "conf_file", "defines", "args"} <= set(
        task.template_fields
    )
    assert task.date == "{{ ds }}"
    assert task.run_key == "score/churn/{{ ds }}"


def test_execute_runs_the_rendered_job_and_returns_its_summary(fake_sluice):
    fake_sluice.script(stdout=summary_line(), exit_code=0)
    task = operator(
        fake_sluice,
        job="score",
        model="churn",
        run_key="score/churn/{{ ds }}",
        defines={"sluice.lake.root": "/lake/{{ ds }}"},
        args=["--snapshot-id", "{{ ds }}-pins"],
    )
    ti = TaskInstance()
    context = {"ds": "2026-10-30", "ti": ti}

    task.render_template_fields(context)
    summary = task.execute(context)

    assert fake_sluice.calls()[0]["argv"] == [
        "score", "--model", "churn", "--date", "2026-10-30",
        "--run-key", "score/churn/2026-10-30", "-Dsluice.lake.root=/lake/2026-10-30",
        "--snapshot-id", "2026-10-30-pins",
    ]  # fmt: skip
    assert summary["run_key"] == "score/churn/2026-10-30"
    assert ti.xcom == {"decision": None}


def test_a_decision_is_pushed_for_branching(fake_sluice):
    decision = {"action": "rollback", "reason": "drift alert on 3 of 5 columns"}
    fake_sluice.script(
        stdout=summary_line(job="drift", status="decided", exit_code=5, decision=decision),
        exit_code=5,
    )
    task = operator(fake_sluice, job="drift", model="churn", date="2026-10-30")
    ti = TaskInstance()

    summary = task.execute({"ti": ti})

    assert summary["decision"] == decision
    assert ti.xcom["decision"] == decision


def started(task: SluiceOperator) -> bool:
    """Whether the task's hook (created by execute, not by this look) has started its job."""
    hook = task.__dict__.get("hook")
    return hook is not None and hook._process is not None


def test_on_kill_stops_the_running_job(fake_sluice):
    fake_sluice.script(stdout=summary_line(), exit_code=0, stderr="started\n", sleep=60)
    task = operator(fake_sluice, job="snapshot", date="2026-10-30")
    raised: list[BaseException] = []

    def execute() -> None:
        try:
            task.execute({})
        except BaseException as e:  # noqa: BLE001 - handed to the test thread
            raised.append(e)

    runner = threading.Thread(target=execute)
    runner.start()
    deadline = time.monotonic() + 30
    while not started(task) and time.monotonic() < deadline:
        time.sleep(0.05)
    task.on_kill()
    runner.join(timeout=30)

    assert not runner.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], SluiceJobError)
    assert "killed by signal 15" in str(raised[0])


def test_on_kill_before_execute_does_nothing(fake_sluice):
    task = operator(fake_sluice, job="snapshot")

    task.on_kill()

    assert "hook" not in task.__dict__
