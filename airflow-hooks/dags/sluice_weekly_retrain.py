"""sluice_weekly_retrain: snapshot → quality check → features build → training-set build → train.

Once a week, for the last day of the week's data interval (``ds`` + 6 days: the run that starts
on Sunday covers the seven days up to Saturday): pin the sources, check them, rebuild that week's
feature days (a MERGE, so days already built are rewritten, not duplicated), build the
point-in-time training set and train. ``train`` registers the model behind the validation gate;
a refusal exits 5, which succeeds with the decision in the task's XCom ``decision``.

It re-pins ``snapshot/<day>``, the nightly's key for the same day: it is scheduled after that
night's run (a concurrent attempt of one run key exits 1 and is retried).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from airflow import DAG

from sluice_airflow import run_key
from sluice_airflow.stages import DAG_DEFAULTS, sluice_stage

MODEL = "churn"
WEEK_START = "{{ ds }}"
LAST_DAY = "{{ macros.ds_add(ds, 6) }}"
stage = partial(sluice_stage, sluice_conn_id="sluice_default", date=LAST_DAY)

with DAG(
    dag_id="sluice_weekly_retrain",
    description="Sluice: pin, check, build a week of features, build the training set, train",
    schedule="0 6 * * 0",
    start_date=datetime(2026, 1, 4),
    doc_md=__doc__,
    **DAG_DEFAULTS,
) as dag:
    snapshot = stage("snapshot", "snapshot")
    quality = stage("quality check", "quality")
    features = stage(
        "features build",
        "features",
        date=None,
        args=["--from", WEEK_START, "--to", LAST_DAY],
        run_key=run_key("features", date=LAST_DAY),
    )
    training_set = stage("training-set build", "training-set", model=MODEL)
    train = stage("train", "train", model=MODEL)

    snapshot >> quality >> features >> training_set >> train
