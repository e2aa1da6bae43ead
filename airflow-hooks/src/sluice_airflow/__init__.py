"""Apache Airflow hook and operator for Sluice jobs (docs/orchestration.md)."""

from sluice_airflow.command import Job, Launcher, build_command, run_key
from sluice_airflow.exceptions import (
    SluiceConfigError,
    SluiceDataQualityFailed,
    SluiceJobError,
    SluiceUpstreamMissing,
)
from sluice_airflow.hook import SluiceHook
from sluice_airflow.operator import SluiceOperator
from sluice_airflow.summary import ExitCode, SummaryError, parse_summary

__all__ = [
    "ExitCode",
    "Job",
    "Launcher",
    "SluiceConfigError",
    "SluiceDataQualityFailed",
    "SluiceHook",
    "SluiceJobError",
    "SluiceOperator",
    "SluiceUpstreamMissing",
    "SummaryError",
    "build_command",
    "parse_summary",
    "run_key",
]
