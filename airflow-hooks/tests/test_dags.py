"""The shipped DAGs: task ids, dependencies, jobs and run keys templated from the logical date."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from conftest import HOOKS_DIR

from sluice_airflow import SluiceOperator


def load_dag_file(name: str) -> ModuleType:
    """Imports airflow-hooks/dags/<name>.py as Airflow's DAG processor would."""
    spec = importlib.util.spec_from_file_location(name, HOOKS_DIR / "dags" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chain_of(dag) -> list[str]:
    """The task ids of a DAG that is a single chain, from its root to its leaf."""
    roots = [task for task in dag.tasks if not task.upstream_task_ids]
    assert len(roots) == 1, f"one root task, not {[t.task_id for t in roots]}"
    order = [roots[0]]
    while order[-1].downstream_task_ids:
        (following,) = order[-1].downstream_task_ids
        order.append(dag.task_dict[following])
    assert len(order) == len(dag.tasks), "every task on the chain"
    return [task.task_id for task in order]


def jobs_of(dag) -> dict[str, tuple]:
    """Per task id: the job, model, date and run key of its SluiceOperator."""
    jobs = {}
    for task in dag.tasks:
        assert isinstance(task, SluiceOperator)
        assert task.sluice_conn_id == "sluice_default"
        jobs[task.task_id] = (task.job, task.model, task.date, task.run_key)
    return jobs


@pytest.fixture(scope="module")
def nightly():
    return load_dag_file("sluice_nightly").dag


@pytest.fixture(scope="module")
def weekly():
    return load_dag_file("sluice_weekly_retrain").dag


def test_nightly_runs_the_jobs_in_order(nightly):
    assert nightly.dag_id == "sluice_nightly"
    assert chain_of(nightly) == [
        "snapshot",
        "quality_check",
        "features_build",
        "score",
        "canary_analyze",
        "drift",
    ]


def test_nightly_runs_each_job_for_the_logical_date_under_the_clis_run_key(nightly):
    ds = "{{ ds }}"
    assert jobs_of(nightly) == {
        "snapshot": ("snapshot", None, ds, "snapshot/{{ ds }}"),
        "quality_check": ("quality check", None, ds, "quality/{{ ds }}"),
        "features_build": ("features build", None, ds, "features/{{ ds }}"),
        "score": ("score", "churn", ds, "score/churn/{{ ds }}"),
        "canary_analyze": ("canary analyze", "churn", ds, "canary-analyze/churn/{{ ds }}"),
        "drift": ("drift", "churn", ds, "drift/churn/{{ ds }}"),
    }


def test_weekly_retrain_runs_the_jobs_in_order(weekly):
    assert weekly.dag_id == "sluice_weekly_retrain"
    assert chain_of(weekly) == [
        "snapshot",
        "quality_check",
        "features_build",
        "training_set_build",
        "train",
    ]


def test_weekly_retrain_works_on_the_last_day_of_its_week(weekly):
    day = "{{ macros.ds_add(ds, 6) }}"
    assert jobs_of(weekly) == {
        "snapshot": ("snapshot", None, day, f"snapshot/{day}"),
        "quality_check": ("quality check", None, day, f"quality/{day}"),
        "features_build": ("features build", None, None, f"features/{day}"),
        "training_set_build": ("training-set build", "churn", day, f"training-set/churn/{day}"),
        "train": ("train", "churn", day, f"train/churn/{day}"),
    }
    assert weekly.task_dict["features_build"].args == ["--from", "{{ ds }}", "--to", day]


@pytest.mark.parametrize("dag_name", ["nightly", "weekly"])
def test_tasks_retry_so_that_a_missing_upstream_is_waited_for(dag_name, request):
    dag = request.getfixturevalue(dag_name)
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    for task in dag.tasks:
        assert task.retries >= 1, task.task_id


def test_nightly_renders_its_run_keys_from_the_logical_date():
    score = load_dag_file("sluice_nightly").dag.task_dict["score"]  # a copy of its own

    score.render_template_fields({"ds": "2026-10-30"})

    assert (score.date, score.run_key) == ("2026-10-30", "score/churn/2026-10-30")
