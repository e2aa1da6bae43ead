-- Drift per feature over time
-- Answers: how far is each model input (and the score) from the training baseline, window by
-- window and version by version, how far from the window before, and what did the policy say?
-- One row per window x model version x column (the whole population: slice 'all').
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model        the model                               default churn
--   sluice.granularity  the window size the drift job used: 1d or 1w   default 1d
-- Run: ./sluice sql -f docs/sql/drift_per_feature_over_time.sql --set sluice.model=churn
SET sluice.model=churn;
SET sluice.granularity=1d;

SELECT b.window_end,
       b.model_version,
       b.column_name,
       b.count,
       round(b.psi, 4) AS psi,
       round(b.js_distance, 4) AS js_distance,
       round(b.ks_statistic, 4) AS ks_statistic,
       round(b.null_rate_delta, 4) AS null_rate_delta,
       round(c.psi, 4) AS psi_vs_previous_window,
       b.severity,
       b.drift_detected
FROM sluice.drift_metrics b
LEFT JOIN sluice.drift_metrics c
  ON c.drift_type = 'CONSECUTIVE'
 AND c.model_name = b.model_name AND c.model_version = b.model_version
 AND c.granularity = b.granularity AND c.window_end = b.window_end
 AND c.slice_key = b.slice_key AND c.slice_value = b.slice_value
 AND c.column_name = b.column_name
WHERE b.model_name = '${sluice.model}'
  AND b.granularity = '${sluice.granularity}'
  AND b.drift_type = 'BASELINE'
  AND b.slice_key = 'all'
ORDER BY b.column_name, b.window_end, b.model_version;
