-- Job failures by exit code
-- Answers: which jobs did not end with exit 0, grouped by exit code (1 internal or run key locked,
-- 2 bad config or arguments, 3 data-quality gate, 4 upstream input missing, 5 policy decision),
-- how often, and what the newest such attempt said.
-- One row per exit code x job. sluice.job_runs holds every attempt, failed ones included.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.since  count attempts started on or after this day (yyyy-MM-dd)   default 1970-01-01
-- Run: ./sluice sql -f docs/sql/job_failures_by_exit_code.sql --set sluice.since=2026-10-01
SET sluice.since=1970-01-01;

SELECT exit_code,
       CASE exit_code
         WHEN 1 THEN 'internal error or run key locked'
         WHEN 2 THEN 'bad config or arguments'
         WHEN 3 THEN 'data-quality gate failed'
         WHEN 4 THEN 'upstream input missing'
         WHEN 5 THEN 'policy decision taken'
       END AS meaning,
       job,
       count(*) AS attempts,
       max(started_ts) AS last_started_ts,
       max_by(run_key, started_ts) AS last_run_key,
       max_by(coalesce(error, decision), started_ts) AS last_message
FROM sluice.job_runs
WHERE exit_code <> 0 AND started_ts >= CAST('${sluice.since}' AS TIMESTAMP)
GROUP BY exit_code, job
ORDER BY exit_code, job;
