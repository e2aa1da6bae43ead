"""The hook against the real launchers, on a tiny temporary lake.

``./sluice`` (the hook's cli mode) writes the sample and pins it; a features build for a day
without a snapshot exits 4; and spark-submit mode runs the thin jar through
``org.apache.spark.deploy.SparkSubmit`` with Spark's jars on the classpath, as a cluster's
spark-submit would. These start Spark: they need jobs/target (classes, classpath.txt, the thin
jar) and a JDK 17, and skip without the jars, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from sluice_airflow import SluiceHook, SluiceUpstreamMissing

pytestmark = pytest.mark.spark

TARGET = REPO_ROOT / "jobs" / "target"
START, END = "2026-09-01", "2026-09-10"
TIMEOUT_SECONDS = 300

TINY_LAKE = {
    "sluice.sample.customers": "60",
    "sluice.sample.days": "10",
    "sluice.sample.start-date": START,
    "sluice.sample.drift-day": "6",
    "sluice.sample.malformed-share": "0.05",
    "sluice.sample.label-horizon-days": "1",
    "sluice.sample.label-delay-days": "1",
    "sluice.spark.master": "local[2]",
    "sluice.spark.shuffle-partitions": "2",
    "sluice.jobs.lock-heartbeat-ms": "500",
    "sluice.jobs.lock-lease-ms": "5000",
}
"""The sample's size and Spark's, as jobs/src/test/.../TinyLake.java (60 customers, 10 days)."""

# Each test's JVM lives well under a minute: the C1 compiler alone starts it faster.
QUICK_JVM = "-XX:TieredStopAtLevel=1"

ENV = {
    "SLUICE_DRIVER_MEMORY": "1g",
    "SLUICE_JAVA_OPTS": QUICK_JVM,
    "SPARK_LOCAL_IP": "127.0.0.1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def thin_jar() -> Path | None:
    """jobs/target/sluice-jobs-<version>-spark.jar, if built."""
    jars = sorted(TARGET.glob("sluice-jobs-*-spark.jar"))
    return jars[-1] if jars else None


@pytest.fixture(scope="module", autouse=True)
def built_jars() -> None:
    """Skips (fails under CI=true) when the launchers' jars are not built."""
    needed = {
        "jobs/target/classes": (TARGET / "classes").is_dir(),
        "jobs/target/classpath.txt": (TARGET / "classpath.txt").is_file(),
        "jobs/target/sluice-jobs-*-spark.jar": thin_jar() is not None,
    }
    missing = [name for name, present in needed.items() if not present]
    if missing:
        message = (
            f"the real-launcher tests need {', '.join(missing)}: build them with "
            "./mvnw -B -DskipTests package (./mvnw -B verify runs these tests after the build)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    """A lake root with the tiny sample, written by ./sluice sample-data."""
    root = tmp_path_factory.mktemp("lake")
    summary = run(sluice_hook(root), "sample-data")
    assert summary["status"] == "succeeded", summary
    return root


def sluice_hook(root: Path, **settings) -> SluiceHook:
    """A hook on the tiny lake at ``root``: ./sluice unless ``settings`` say otherwise."""
    return SluiceHook(
        launcher=settings.pop("launcher", str(REPO_ROOT / "sluice")),
        conf_file=str(REPO_ROOT / "conf" / "local.conf"),
        defines={**TINY_LAKE, "sluice.lake.root": str(root)},
        env=ENV,
        cwd=str(root.parent),
        **settings,
    )


def run(hook: SluiceHook, command: str, **job) -> dict:
    """``hook.run_job``, stopped after TIMEOUT_SECONDS."""
    watchdog = threading.Timer(TIMEOUT_SECONDS, hook.kill)
    watchdog.start()
    try:
        return hook.run_job(command, **job)
    finally:
        watchdog.cancel()


def test_the_sluice_script_pins_the_sources(lake):
    summary = run(sluice_hook(lake), "snapshot", date=END)

    assert summary["job"] == "snapshot"
    assert summary["status"] == "succeeded"
    assert summary["exit_code"] == 0
    assert summary["run_key"] == f"snapshot/{END}"
    assert summary["decision"] is None
    assert [output["table"] for output in summary["outputs"]] == ["snapshots"]
    assert {pin["table"] for pin in summary["inputs"]} == {
        "raw_customers",
        "raw_activity",
        "raw_labels",
    }


def test_a_day_without_a_snapshot_exits_4_for_a_retry(lake):
    with pytest.raises(SluiceUpstreamMissing) as raised:
        run(sluice_hook(lake), "features build", date="2026-09-03")

    assert raised.value.exit_code == 4
    assert raised.value.summary["status"] == "failed"
    assert raised.value.summary["run_key"] == "features/2026-09-03"
    assert "snapshot --date 2026-09-03" in str(raised.value)


def spark_submit_program() -> list[str]:
    """java running SparkSubmit on Spark's jars: the launcher's classpath less Sluice's own."""
    pom = (REPO_ROOT / "pom.xml").read_text()
    opens = re.search(r"<spark\.jvm\.opens>(.*?)</spark\.jvm\.opens>", pom, re.S).group(1).split()
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home, "bin", "java")) if java_home else shutil.which("java") or "java"
    entries = (TARGET / "classpath.txt").read_text().strip().split(os.pathsep)
    spark_jars = [
        entry
        for entry in entries
        if "/target/" not in entry and not Path(entry).name.startswith("sluice-")
    ]
    return [
        java,
        *opens,
        "-Xmx1g",
        QUICK_JVM,
        f"-Dlog4j2.configurationFile={REPO_ROOT / 'conf' / 'log4j2.properties'}",
        "-cp",
        os.pathsep.join(spark_jars),
        "org.apache.spark.deploy.SparkSubmit",
    ]


def test_spark_submit_runs_the_thin_jar(lake):
    hook = sluice_hook(
        lake,
        launcher=spark_submit_program(),
        application=str(thin_jar()),
        master="local[2]",
        spark_conf={"spark.ui.enabled": "false", "spark.driver.host": "127.0.0.1"},
    )

    summary = run(hook, "snapshot", date="2026-09-08", run_key="airflow-test/snapshot")

    assert summary["job"] == "snapshot"
    assert summary["status"] == "succeeded"
    assert summary["exit_code"] == 0
    assert summary["run_key"] == "airflow-test/snapshot"
    assert [output["table"] for output in summary["outputs"]] == ["snapshots"]
