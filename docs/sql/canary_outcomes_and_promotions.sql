-- Canary outcomes and promotions
-- Answers: for each canary window, which challenger was judged against which champion, how each
-- metric's test came out, what the policy decided (promote, hold, abort) and which aliases it
-- moved as a result.
-- One row per window x challenger. moves lists the alias moves of the same run, as
-- alias from -> to (action); hand-made moves (sluice promote, rollback) are in
-- deployment_history.sql.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model  the model        default churn
-- Run: ./sluice sql -f docs/sql/canary_outcomes_and_promotions.sql --set sluice.model=churn
SET sluice.model=churn;

WITH windows AS (
  SELECT window_end,
         champion_version,
         challenger_version,
         array_sort(collect_list(concat(metric, ': ', outcome))) AS metric_outcomes,
         first(window_outcome) AS window_outcome,
         first(decision) AS decision,
         first(run_id) AS run_id
  FROM sluice.canary_analyses
  WHERE model_name = '${sluice.model}'
  GROUP BY window_end, champion_version, challenger_version
),
moves AS (
  SELECT run_id,
         array_sort(collect_list(concat(alias, ' ', coalesce(CAST(from_version AS STRING), '-'),
                                        ' -> ', coalesce(CAST(to_version AS STRING), '-'),
                                        ' (', action, ')'))) AS moves
  FROM sluice.deployments
  WHERE model_name = '${sluice.model}'
  GROUP BY run_id
)
SELECT w.window_end,
       w.champion_version,
       w.challenger_version,
       w.metric_outcomes,
       w.window_outcome,
       w.decision,
       coalesce(m.moves, array()) AS moves
FROM windows w
LEFT JOIN moves m ON m.run_id = w.run_id
ORDER BY w.challenger_version, w.window_end;
