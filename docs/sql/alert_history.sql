-- Alert history
-- Answers: when did drift alerts fire, on which model version and columns, how large was the
-- share of drifted columns, and what action was taken (none, rollback to version N, refused)?
-- One row per window x model version with an alert.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model  the model        default churn
-- Run: ./sluice sql -f docs/sql/alert_history.sql --set sluice.model=churn
SET sluice.model=churn;

SELECT window_end,
       model_version,
       count(*) AS alerts,
       array_sort(collect_set(column_name)) AS columns,
       array_sort(collect_set(metric)) AS metrics,
       round(max(CASE WHEN metric = 'drifted_share' THEN value END), 4) AS drifted_share,
       array_sort(collect_set(action)) AS actions,
       max(at) AS raised_at
FROM sluice.alerts
WHERE model_name = '${sluice.model}'
GROUP BY window_end, model_version
ORDER BY window_end, model_version;
