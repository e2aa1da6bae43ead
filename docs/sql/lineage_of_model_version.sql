-- What data and code produced a model version, and what it produced since.
--
-- The same answer as `sluice lineage --model M --version V` (docs/lineage.md), from one query over
-- sluice.lineage and sluice.job_runs (sluice.snapshots adds the source fingerprints and
-- sluice.deployments resolves an alias). Spark 3.5 has no recursive CTE, but the pipeline's depth
-- is fixed: model <- training set <- feature tables <- snapshots <- source tables. So the query
-- walks upstream with five fixed levels (l1..l5), each "the inputs of the runs that wrote the
-- previous level". A registered model read by a training (the champion it compared against) is
-- listed at its level but not walked further: its lineage is its own graph.
--
-- Parameters (Spark SQL variables: edit the SET lines, or SET them before running the file):
--   sluice.model    the registered model                                          (default churn)
--   sluice.version  a version number, or an alias (champion, challenger), resolved to the
--                   version the alias's newest move in sluice.deployments points at
--                                                                            (default champion)
--
-- One row per node:
--   direction      upstream (depth 0 is the model version itself, 1 what its training read...)
--                  or downstream (what the runs that read the model version wrote: predictions
--                  and scoring_inputs of score runs, profile_metrics and drift_metrics of drift
--                  runs, canary_analyses, a later version's training)
--   depth, node_kind (table or model), node_name, node_version
--   job, run_id, run_key, status, code_version, conf_hash    the run that wrote the node
--   fingerprint, row_count    for a pinned source table version, from sluice.snapshots
--
-- Run it: ./sluice sql -f docs/sql/lineage_of_model_version.sql
SET sluice.model=churn;
SET sluice.version=champion;

WITH target AS (
  SELECT
    '${sluice.model}' AS model,
    CASE
      WHEN '${sluice.version}' RLIKE '^[0-9]+$' THEN CAST('${sluice.version}' AS BIGINT)
      ELSE (SELECT max_by(to_version, at_ts) FROM sluice.deployments
            WHERE model_name = '${sluice.model}' AND alias = '${sluice.version}')
    END AS version
),
-- Who wrote each node (a Delta version or a model version is written by exactly one run).
produced AS (
  SELECT DISTINCT run_id, job, run_key, output_kind, output_name, output_version, code_version,
    conf_hash
  FROM sluice.lineage
),
-- What each run read.
reads AS (
  SELECT DISTINCT run_id, input_kind, input_name, input_version
  FROM sluice.lineage
  WHERE input_kind IS NOT NULL
),
l0 AS (
  SELECT p.output_kind AS kind, p.output_name AS name, p.output_version AS version, p.run_id,
    p.job, p.run_key, p.code_version, p.conf_hash
  FROM produced p JOIN target t
    ON p.output_kind = 'model' AND p.output_name = t.model AND p.output_version = t.version
),
n1 AS (SELECT DISTINCT r.input_kind AS kind, r.input_name AS name, r.input_version AS version
       FROM l0 JOIN reads r ON r.run_id = l0.run_id),
l1 AS (SELECT n.*, p.run_id, p.job, p.run_key, p.code_version, p.conf_hash
       FROM n1 n LEFT JOIN produced p ON n.kind = 'table' AND p.output_kind = n.kind
         AND p.output_name = n.name AND p.output_version = n.version),
n2 AS (SELECT DISTINCT r.input_kind AS kind, r.input_name AS name, r.input_version AS version
       FROM l1 JOIN reads r ON r.run_id = l1.run_id),
l2 AS (SELECT n.*, p.run_id, p.job, p.run_key, p.code_version, p.conf_hash
       FROM n2 n LEFT JOIN produced p ON n.kind = 'table' AND p.output_kind = n.kind
         AND p.output_name = n.name AND p.output_version = n.version),
n3 AS (SELECT DISTINCT r.input_kind AS kind, r.input_name AS name, r.input_version AS version
       FROM l2 JOIN reads r ON r.run_id = l2.run_id),
l3 AS (SELECT n.*, p.run_id, p.job, p.run_key, p.code_version, p.conf_hash
       FROM n3 n LEFT JOIN produced p ON n.kind = 'table' AND p.output_kind = n.kind
         AND p.output_name = n.name AND p.output_version = n.version),
n4 AS (SELECT DISTINCT r.input_kind AS kind, r.input_name AS name, r.input_version AS version
       FROM l3 JOIN reads r ON r.run_id = l3.run_id),
l4 AS (SELECT n.*, p.run_id, p.job, p.run_key, p.code_version, p.conf_hash
       FROM n4 n LEFT JOIN produced p ON n.kind = 'table' AND p.output_kind = n.kind
         AND p.output_name = n.name AND p.output_version = n.version),
n5 AS (SELECT DISTINCT r.input_kind AS kind, r.input_name AS name, r.input_version AS version
       FROM l4 JOIN reads r ON r.run_id = l4.run_id),
l5 AS (SELECT n.*, p.run_id, p.job, p.run_key, p.code_version, p.conf_hash
       FROM n5 n LEFT JOIN produced p ON n.kind = 'table' AND p.output_kind = n.kind
         AND p.output_name = n.name AND p.output_version = n.version),
upstream AS (
  SELECT 'upstream' AS direction, min(depth) AS depth, kind, name, version, run_id, job, run_key,
    code_version, conf_hash
  FROM (
    SELECT 0 AS depth, * FROM l0 UNION ALL SELECT 1, * FROM l1 UNION ALL SELECT 2, * FROM l2
    UNION ALL SELECT 3, * FROM l3 UNION ALL SELECT 4, * FROM l4 UNION ALL SELECT 5, * FROM l5
  )
  GROUP BY kind, name, version, run_id, job, run_key, code_version, conf_hash
),
downstream AS (
  SELECT DISTINCT 'downstream' AS direction, 1 AS depth, p.output_kind AS kind,
    p.output_name AS name, p.output_version AS version, p.run_id, p.job, p.run_key,
    p.code_version, p.conf_hash
  FROM reads r
  JOIN target t ON r.input_kind = 'model' AND r.input_name = t.model AND r.input_version = t.version
  JOIN produced p ON p.run_id = r.run_id
),
pins AS (
  SELECT source_table, delta_version, max(fingerprint) AS fingerprint, max(row_count) AS row_count
  FROM sluice.snapshots
  GROUP BY source_table, delta_version
)
SELECT g.direction, g.depth, g.kind AS node_kind, g.name AS node_name, g.version AS node_version,
  g.job, g.run_id, g.run_key, j.status, g.code_version, g.conf_hash, s.fingerprint, s.row_count
FROM (SELECT * FROM upstream UNION ALL SELECT * FROM downstream) g
LEFT JOIN sluice.job_runs j ON j.run_id = g.run_id
LEFT JOIN pins s ON g.kind = 'table' AND s.source_table = g.name AND s.delta_version = g.version
ORDER BY g.direction DESC, g.depth, g.name, g.version;
