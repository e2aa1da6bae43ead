-- Data-quality failures by table
-- Answers: for each checked source table, how many gate runs and constraint results there were,
-- how many failed at error level (the gate stopped the pipeline, exit 3) and at warning level, and
-- which constraints failed, with the last failing value.
-- One row per table. Parameters: none.
-- Run: ./sluice sql -f docs/sql/quality_failures_by_table.sql
SELECT table_name,
       count(DISTINCT run_id) AS check_runs,
       count(*) AS results,
       count_if(status = 'failure' AND check_level = 'error') AS error_failures,
       count_if(status = 'failure' AND check_level = 'warning') AS warning_failures,
       array_sort(collect_set(CASE WHEN status = 'failure' THEN constraint END)) AS failing_constraints,
       max_by(CASE WHEN status = 'failure' THEN metric_value END,
              CASE WHEN status = 'failure' THEN at_ts END) AS last_failing_value,
       max(table_version) AS newest_version_checked,
       max(at_ts) AS last_checked_ts
FROM sluice.data_quality
GROUP BY table_name
ORDER BY error_failures DESC, warning_failures DESC, table_name;
