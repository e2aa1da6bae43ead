-- Prediction volume per cohort and version per day
-- Answers: how many predictions each model version made each score date, in which cohort
-- (champion, canary), served or shadow, and their mean score — e.g. to check the canary share or
-- spot a day that was not scored.
-- One row per score date x model version x cohort x served.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model  the model        default churn
-- Run: ./sluice sql -f docs/sql/prediction_volume_per_day.sql --set sluice.model=churn
SET sluice.model=churn;

SELECT score_date,
       model_version,
       cohort,
       served,
       count(*) AS predictions,
       round(avg(probability), 4) AS mean_probability,
       round(avg(prediction), 4) AS positive_share
FROM sluice.predictions
WHERE model_name = '${sluice.model}'
GROUP BY score_date, model_version, cohort, served
ORDER BY score_date, model_version, cohort, served;
