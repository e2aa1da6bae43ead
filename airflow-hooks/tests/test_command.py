"""Command lines: spark-submit mode, the ./sluice launcher, settings from a connection."""

from __future__ import annotations

import json
import logging

import pytest

from sluice_airflow import Job, Launcher, SluiceHook, build_command, run_key
from sluice_airflow.command import CLI, SPARK_SUBMIT, guess_mode, launcher_program

JAR = "/opt/sluice/sluice-jobs-0.1.0-spark.jar"


def test_spark_submit_options_come_before_the_jar_and_the_cli_arguments_after_it():
    launcher = Launcher(
        application=JAR,
        master="yarn",
        deploy_mode="client",
        name="sluice-canary",
        jars=("/opt/a.jar", "/opt/b.jar"),
        packages=("org.apache.hadoop:hadoop-aws:3.3.4",),
        spark_conf={"spark.executor.memory": "4g", "spark.ui.enabled": "false"},
        spark_submit_args=("--driver-memory", "2g"),
    )
    job = Job(
        "canary analyze",
        model="churn",
        date="2026-10-30",
        run_key="canary-analyze/churn/2026-10-30",
        conf_file="/etc/sluice/prod.conf",
        defines={"sluice.lake.root": "s3a://lake/root", "sluice.spark.shuffle-partitions": "64"},
        args=("--snapshot-id", "abc"),
    )

    assert build_command(launcher, job) == [
        "spark-submit",
        "--master", "yarn",
        "--deploy-mode", "client",
        "--name", "sluice-canary",
        "--class", "dev.sluice.jobs.SluiceMain",
        "--jars", "/opt/a.jar,/opt/b.jar",
        "--packages", "org.apache.hadoop:hadoop-aws:3.3.4",
        "--conf", "spark.executor.memory=4g",
        "--conf", "spark.ui.enabled=false",
        "--driver-memory", "2g",
        JAR,
        "canary", "analyze",
        "--model", "churn",
        "--date", "2026-10-30",
        "--run-key", "canary-analyze/churn/2026-10-30",
        "--conf", "/etc/sluice/prod.conf",
        "-Dsluice.lake.root=s3a://lake/root",
        "-Dsluice.spark.shuffle-partitions=64",
        "--snapshot-id", "abc",
    ]  # fmt: skip


def test_unset_options_and_flags_are_left_out():
    command = build_command(Launcher(application=JAR), Job("quality check", date="2026-10-30"))

    assert command == [
        "spark-submit", "--class", "dev.sluice.jobs.SluiceMain", JAR,
        "quality", "check", "--date", "2026-10-30",
    ]  # fmt: skip


def test_an_empty_date_is_left_out_like_an_unset_one():
    assert Job("sample-data", date="", model=None).cli_args() == ["sample-data"]


def test_the_sluice_script_takes_only_the_cli_arguments():
    launcher = Launcher(program=("/srv/sluice/sluice",), mode=CLI)

    command = build_command(launcher, Job("score", model="churn", date="2026-10-30"))

    assert command == ["/srv/sluice/sluice", "score", "--model", "churn", "--date", "2026-10-30"]


def test_spark_submit_options_are_refused_with_the_sluice_script():
    with pytest.raises(ValueError, match="master.*spark-submit options"):
        Launcher(program=("./sluice",), mode=CLI, master="yarn")


def test_spark_submit_needs_the_application_jar():
    with pytest.raises(ValueError, match="application jar"):
        Launcher()


def test_an_empty_job_is_refused():
    with pytest.raises(ValueError, match="the job is empty"):
        Job("  ").cli_args()


def test_a_launcher_string_is_split_like_a_shell_would():
    program = launcher_program("java -cp '/opt/spark/jars/*' org.apache.spark.deploy.SparkSubmit")

    assert program == ("java", "-cp", "/opt/spark/jars/*", "org.apache.spark.deploy.SparkSubmit")
    assert guess_mode(program) == SPARK_SUBMIT
    assert guess_mode(("/work/sluice/sluice",)) == CLI
    assert guess_mode(("spark-submit",)) == SPARK_SUBMIT


def test_run_keys_are_templated_from_the_logical_date():
    assert run_key("score", "churn") == "score/churn/{{ ds }}"
    assert run_key("snapshot", date="{{ macros.ds_add(ds, 6) }}") == (
        "snapshot/{{ macros.ds_add(ds, 6) }}"
    )


def test_the_hook_guesses_the_mode_from_the_launcher():
    hook = SluiceHook(launcher="/srv/sluice/sluice", conf_file="conf/prod.conf")

    assert hook.build_command("snapshot", date="2026-10-30") == [
        "/srv/sluice/sluice", "snapshot", "--date", "2026-10-30", "--conf", "conf/prod.conf",
    ]  # fmt: skip


def test_the_hook_reads_its_connection_under_its_own_arguments(monkeypatch, caplog):
    extra = {
        "application": JAR,
        "master": "yarn",
        "spark_conf": {"spark.ui.enabled": "false"},
        "conf_file": "/etc/sluice/prod.conf",
        "defines": {"sluice.lake.root": "s3a://lake", "sluice.jobs.lock-lease-ms": "60000"},
        "colour": "blue",
    }
    connection = {"conn_type": "generic", "extra": extra}
    monkeypatch.setenv("AIRFLOW_CONN_SLUICE_PROD", json.dumps(connection))
    hook = SluiceHook("sluice_prod", master="local[2]")

    with caplog.at_level(logging.WARNING):
        command = hook.build_command(
            "score", model="churn", date="2026-10-30", defines={"sluice.lake.root": "/tmp/lake"}
        )

    assert command == [
        "spark-submit", "--master", "local[2]", "--class", "dev.sluice.jobs.SluiceMain",
        "--conf", "spark.ui.enabled=false", JAR,
        "score", "--model", "churn", "--date", "2026-10-30", "--conf", "/etc/sluice/prod.conf",
        "-Dsluice.lake.root=/tmp/lake", "-Dsluice.jobs.lock-lease-ms=60000",
    ]  # fmt: skip
    assert "ignoring unknown extra keys ['colour']" in caplog.text


def test_a_job_conf_file_wins_over_the_hooks():
    hook = SluiceHook(launcher="sluice", conf_file="conf/prod.conf")

    assert hook.job("snapshot", conf_file="conf/dev.conf").conf_file == "conf/dev.conf"
