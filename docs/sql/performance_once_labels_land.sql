-- Performance once labels land
-- Answers: how well did each served model version do on each window whose labels have landed
-- (AUC, log loss, calibration...), on how many labelled rows, and did the label itself drift from
-- the training data (label_mean vs baseline_label_mean, label_psi)?
-- One row per window x model version; windows without landed labels have no row yet.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model        the model                        default churn
--   sluice.granularity  window size: 1d or 1w           default 1d
-- Run: ./sluice sql -f docs/sql/performance_once_labels_land.sql --set sluice.model=churn
SET sluice.model=churn;
SET sluice.granularity=1d;

SELECT window_end,
       model_version,
       first(label_count) AS label_count,
       round(max(CASE WHEN metric = 'auc_roc' THEN value END), 4) AS auc_roc,
       round(max(CASE WHEN metric = 'auc_pr' THEN value END), 4) AS auc_pr,
       round(max(CASE WHEN metric = 'log_loss' THEN value END), 4) AS log_loss,
       round(max(CASE WHEN metric = 'accuracy' THEN value END), 4) AS accuracy,
       round(max(CASE WHEN metric = 'f1' THEN value END), 4) AS f1,
       round(max(CASE WHEN metric = 'calibration_error' THEN value END), 4) AS calibration_error,
       round(max(CASE WHEN metric = 'rmse' THEN value END), 4) AS rmse,
       round(max(CASE WHEN metric = 'label_mean' THEN value END), 4) AS label_mean,
       round(max(CASE WHEN metric = 'baseline_label_mean' THEN value END), 4) AS baseline_label_mean,
       round(max(CASE WHEN metric = 'label_psi' THEN value END), 4) AS label_psi,
       concat(first(labels_table), '@', first(labels_version)) AS labels,
       max(labels_landed_max_ts) AS labels_landed_max_ts
FROM sluice.performance_metrics
WHERE model_name = '${sluice.model}' AND granularity = '${sluice.granularity}'
GROUP BY window_end, model_version
ORDER BY window_end, model_version;
