-- Features breaching drift thresholds in the last N days
-- Answers: which columns crossed a warn or alert threshold against the training baseline in the
-- N days up to an as-of date, how often, how badly, and which thresholds they crossed?
-- One row per column. The sample's dates are fixed, so the as-of date is a parameter, not today.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model        the model                                          default churn
--   sluice.as_of        the last day of the period (yyyy-MM-dd), or latest:
--                       the newest drift window of the model               default latest
--   sluice.days         the length of the period in days                    default 7
--   sluice.granularity  window size: 1d or 1w                              default 1d
-- Run: ./sluice sql -f docs/sql/features_breaching_thresholds.sql --set sluice.as_of=2026-10-12
SET sluice.model=churn;
SET sluice.as_of=latest;
SET sluice.days=7;
SET sluice.granularity=1d;

WITH period AS (
  SELECT coalesce(try_cast('${sluice.as_of}' AS DATE), max(window_end)) AS as_of
  FROM sluice.drift_metrics
  WHERE model_name = '${sluice.model}' AND granularity = '${sluice.granularity}'
),
breaches AS (
  SELECT d.*
  FROM sluice.drift_metrics d CROSS JOIN period p
  WHERE d.model_name = '${sluice.model}'
    AND d.granularity = '${sluice.granularity}'
    AND d.drift_type = 'BASELINE'
    AND d.slice_key = 'all'
    AND d.severity IN ('warn', 'alert')
    AND d.window_end > date_sub(p.as_of, ${sluice.days})
    AND d.window_end <= p.as_of
)
SELECT column_name,
       CASE WHEN count_if(severity = 'alert') > 0 THEN 'alert' ELSE 'warn' END AS worst_severity,
       count(DISTINCT window_end) AS windows_breached,
       count_if(severity = 'alert') AS alerts,
       min(window_end) AS first_breach,
       max(window_end) AS last_breach,
       array_sort(collect_set(model_version)) AS model_versions,
       round(max(psi), 4) AS max_psi,
       round(max(js_distance), 4) AS max_js_distance,
       max_by(threshold, psi) AS thresholds_at_max_psi
FROM breaches
GROUP BY column_name
ORDER BY alerts DESC, max_psi DESC, column_name;
