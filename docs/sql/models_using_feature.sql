-- Which models use feature X
-- Answers: which registered model versions were trained on a feature, from which training set,
-- and which aliases (champion, challenger) point at them now — e.g. before changing or retiring
-- the feature's definition.
-- One row per model version. A feature is named group.feature, as in sluice.training_sets.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.feature  the feature, group.feature        default customer_activity.events_7d
-- Run: ./sluice sql -f docs/sql/models_using_feature.sql --set sluice.feature=customer_profile.plan
SET sluice.feature=customer_activity.events_7d;

WITH sets AS (  -- training sets holding the feature
  SELECT training_set_id, model_name, out_table, out_version
  FROM sluice.training_sets
  WHERE array_contains(features, '${sluice.feature}')
),
versions AS (  -- model versions the train job registered from those sets
  SELECT DISTINCT s.model_name, l.output_version AS model_version, s.training_set_id,
         concat(s.out_table, '@', s.out_version) AS training_set
  FROM sets s
  JOIN sluice.lineage l
    ON l.input_kind = 'table' AND l.input_name = s.out_table AND l.input_version = s.out_version
   AND l.output_kind = 'model' AND l.output_name = s.model_name
),
aliases AS (  -- where each alias points now: its newest move
  SELECT model_name, alias, max_by(to_version, at_ts) AS version
  FROM sluice.deployments
  GROUP BY model_name, alias
)
SELECT v.model_name,
       v.model_version,
       array_sort(collect_list(a.alias)) AS aliases,
       v.training_set,
       v.training_set_id
FROM versions v
LEFT JOIN aliases a ON a.model_name = v.model_name AND a.version = v.model_version
GROUP BY v.model_name, v.model_version, v.training_set, v.training_set_id
ORDER BY v.model_name, v.model_version;
