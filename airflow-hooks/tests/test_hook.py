"""Running jobs: exit codes to Airflow outcomes, summary parsing, logs, process settings."""

from __future__ import annotations

import logging

import pytest
from airflow.exceptions import AirflowException, AirflowFailException
from conftest import summary_line

from sluice_airflow import (
    SluiceConfigError,
    SluiceDataQualityFailed,
    SluiceHook,
    SluiceJobError,
    SluiceUpstreamMissing,
    SummaryError,
    parse_summary,
)


def hook_for(launcher) -> SluiceHook:
    """A hook on a fake ./sluice."""
    return SluiceHook(launcher=str(launcher.path))


def test_exit_0_returns_the_summary_of_the_last_stdout_line(fake_sluice):
    fake_sluice.script(
        stdout="a table the job printed\n" + summary_line() + "\n\n",
        exit_code=0,
        stderr="[sluice] score: run_key score/churn/2026-10-30\n",
    )

    summary = hook_for(fake_sluice).run_job("score", model="churn", date="2026-10-30")

    assert summary["status"] == "succeeded"
    assert summary["outputs"] == [{"table": "predictions", "version": 7}]
    assert fake_sluice.calls()[0]["argv"] == ["score", "--model", "churn", "--date", "2026-10-30"]


def test_exit_5_is_a_success_that_carries_the_decision(fake_sluice):
    decision = {"action": "abort", "reason": "auc of the challenger 0.61 < champion 0.74"}
    fake_sluice.script(
        stdout=summary_line(status="decided", exit_code=5, decision=decision), exit_code=5
    )

    summary = hook_for(fake_sluice).run_job("canary analyze", model="churn", date="2026-10-30")

    assert summary["status"] == "decided"
    assert summary["decision"] == decision


@pytest.mark.parametrize(
    ("code", "raised_type", "retried", "meaning"),
    [
        (1, SluiceJobError, True, "internal error, or the run key is already running"),
        (2, SluiceConfigError, False, "bad config or arguments; not retried"),
        (3, SluiceDataQualityFailed, False, "data-quality gate failed; not retried"),
        (4, SluiceUpstreamMissing, True, "upstream input missing; retried later"),
    ],
)
def test_failure_codes_raise_what_airflow_retries_or_not(
    fake_sluice, code, raised_type, retried, meaning
):
    error = f"what went wrong (exit {code})"
    fake_sluice.script(
        stdout=summary_line(status="failed", exit_code=code, error=error), exit_code=code
    )

    with pytest.raises(raised_type) as raised:
        hook_for(fake_sluice).run_job("score", model="churn", date="2026-10-30")

    assert isinstance(raised.value, AirflowException)
    assert isinstance(raised.value, AirflowFailException) is not retried
    assert (raised.value.exit_code, raised.value.summary["error"]) == (code, error)
    assert str(raised.value) == (
        "score/churn/2026-10-30 (run 26de3817-0000-4000-8000-000000000000) failed: "
        f"exit {code} ({meaning}): {error}"
    )


def test_exit_4_is_not_mistaken_for_other_failures(fake_sluice):
    fake_sluice.script(stdout=summary_line(status="failed", exit_code=1), exit_code=1)

    with pytest.raises(SluiceJobError) as raised:
        hook_for(fake_sluice).run_job("snapshot")

    assert not isinstance(raised.value, SluiceUpstreamMissing)


def test_a_failure_without_summary_names_the_tail_of_stderr(fake_sluice):
    fake_sluice.script(
        stdout="",
        stderr="Unknown option: '--dat'\nUsage: sluice score [--model=M] ...\n",
        exit_code=2,
    )

    with pytest.raises(SluiceConfigError) as raised:
        hook_for(fake_sluice).run_job("score", args=["--dat", "2026-10-30"])

    assert isinstance(raised.value, AirflowFailException), "bad config: no retry"
    assert raised.value.summary is None
    assert "exit 2 (bad config or arguments; not retried)" in str(raised.value)
    assert "Unknown option: '--dat'" in str(raised.value)


def test_a_code_outside_the_contract_fails_and_says_so(fake_sluice):
    fake_sluice.script(
        stdout="", stderr="Error: Could not find or load main class\n", exit_code=101
    )

    with pytest.raises(SluiceJobError, match="exit 101 \\(not a Sluice exit code"):
        hook_for(fake_sluice).run_job("snapshot")


@pytest.mark.parametrize("code", [0, 5])
def test_success_without_a_summary_line_is_an_error(fake_sluice, code):
    fake_sluice.script(stdout="", exit_code=code)

    with pytest.raises(SluiceJobError, match=f"exited {code}, but the job printed nothing"):
        hook_for(fake_sluice).run_job("snapshot")


def test_success_with_a_malformed_summary_line_is_an_error(fake_sluice):
    fake_sluice.script(stdout=summary_line() + "\nDone.\n", exit_code=0)

    with pytest.raises(SluiceJobError, match="last stdout line is not a JSON summary.*Done."):
        hook_for(fake_sluice).run_job("snapshot")


def test_the_jobs_output_streams_to_the_log(fake_sluice, caplog):
    fake_sluice.script(
        stdout=summary_line(), exit_code=0, stderr="[sluice] snapshot: 3 tables pinned\n"
    )

    with caplog.at_level(logging.INFO):
        hook_for(fake_sluice).run_job("snapshot", date="2026-10-30")

    assert f"Running: {fake_sluice.path} snapshot --date 2026-10-30" in caplog.text
    assert "[sluice] snapshot: 3 tables pinned" in caplog.text
    assert '"run_key": "score/churn/2026-10-30"' in caplog.text


def test_the_job_runs_in_the_given_folder_with_the_given_environment(fake_sluice, tmp_path):
    fake_sluice.script(stdout=summary_line(), exit_code=0)
    hook = SluiceHook(
        launcher=str(fake_sluice.path), cwd=str(tmp_path), env={"SLUICE_DRIVER_MEMORY": "1g"}
    )

    hook.run_job("snapshot")

    call = fake_sluice.calls()[0]
    assert call["cwd"] == str(tmp_path)
    assert call["env"]["SLUICE_DRIVER_MEMORY"] == "1g"
    assert "PATH" in call["env"]


def test_parse_summary_reads_a_summary_line():
    summary = parse_summary(summary_line(decision={"action": "rollback", "reason": "drift"}))

    assert summary["job"] == "score"
    assert summary["decision"] == {"action": "rollback", "reason": "drift"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (None, "printed nothing on stdout"),
        ("Exception in thread main", "not a JSON summary \\(Expecting value\\)"),
        ('{"job": "score", "status": ', "not a JSON summary"),
        ("[1, 2]", "JSON but no summary"),
        ('{"rows": 3}', "JSON but no summary"),
    ],
)
def test_parse_summary_refuses_a_missing_or_malformed_line(line, message):
    with pytest.raises(SummaryError, match=message):
        parse_summary(line)
