"""sluice_nightly: snapshot → quality check → features build → score → canary analyze → drift.

Each night processes the logical date ``ds`` (with the daily schedule, the day that just ended).
Run keys are the CLI's defaults spelt out (``<job>/<model>/<ds>``), so a rerun from Airflow or
by hand replaces the same run's output. ``snapshot/<ds>`` must keep that form: downstream jobs
read the pins of run key ``snapshot/<date>``. The jobs' settings (launcher, jar, conf file) come
from the Airflow connection ``sluice_default`` (airflow-hooks/README.md).

Exit codes: 3 (a data-quality gate) fails the run without retry; 4 (an upstream input missing)
is retried; 5 (canary abort, drift rollback) succeeds, with the decision in the task's XCom
``decision``.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from airflow import DAG

from sluice_airflow.stages import DAG_DEFAULTS, sluice_stage

MODEL = "churn"
stage = partial(sluice_stage, sluice_conn_id="sluice_default")

with DAG(
    dag_id="sluice_nightly",
    description="Sluice: pin, check, build features, score, analyze the canary, monitor drift",
    schedule="0 3 * * *",
    start_date=datetime(2026, 1, 1),
    doc_md=__doc__,
    **DAG_DEFAULTS,
) as dag:
    snapshot = stage("snapshot", "snapshot")
    quality = stage("quality check", "quality")
    features = stage("features build", "features")
    score = stage("score", "score", model=MODEL)
    canary = stage("canary analyze", "canary-analyze", model=MODEL)
    drift = stage("drift", "drift", model=MODEL)

    snapshot >> quality >> features >> score >> canary >> drift
