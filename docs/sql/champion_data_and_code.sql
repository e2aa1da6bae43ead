-- What data and code produced the champion
-- Answers: which runs built the version an alias (the champion) points at, with which code
-- version and config hash, and which table versions each read — down to the source tables'
-- snapshot pins and their fingerprints.
-- The pipeline's depth is fixed (train <- training-set and features <- features and snapshot), so
-- three joins over sluice.lineage walk it. One row per run x table version read; step 1 is the
-- train run, step 3 holds the snapshot run whose inputs are the pins. fingerprint is shown for a
-- source table version that sluice.snapshots still records (a rerun of a snapshot's run key
-- replaces its rows). For the whole graph, up- and downstream, see lineage_of_model_version.sql.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model  the model                      default churn
--   sluice.alias  the alias to explain           default champion
-- Run: ./sluice sql -f docs/sql/champion_data_and_code.sql --set sluice.model=churn
SET sluice.model=churn;
SET sluice.alias=champion;

WITH target AS (  -- where the alias points now: its newest move
  SELECT max_by(to_version, at_ts) AS version
  FROM sluice.deployments
  WHERE model_name = '${sluice.model}' AND alias = '${sluice.alias}'
),
edges AS (  -- lineage edges read from a table version, keyed as table@version both sides
  SELECT *,
         concat(input_name, '@', input_version) AS input_at,
         concat(output_name, '@', output_version) AS output_at
  FROM sluice.lineage
  WHERE input_kind = 'table'
),
step1 AS (  -- the train run(s) that registered that version, and the tables they read
  SELECT 1 AS step, e.*
  FROM edges e JOIN target t ON e.output_version = t.version
  WHERE e.output_kind = 'model' AND e.output_name = '${sluice.model}'
),
step2 AS (  -- the runs that wrote those table versions
  SELECT 2 AS step, * FROM edges
  WHERE output_kind = 'table' AND output_at IN (SELECT input_at FROM step1)
),
step3 AS (  -- and the runs that wrote theirs: features, and the snapshot that pinned the sources
  SELECT 3 AS step, * FROM edges
  WHERE output_kind = 'table' AND output_at IN (SELECT input_at FROM step2)
),
chain AS (
  SELECT * FROM step1 UNION ALL SELECT * FROM step2 UNION ALL SELECT * FROM step3
),
fingerprints AS (
  SELECT source_table, delta_version, first(fingerprint) AS fingerprint
  FROM sluice.snapshots
  GROUP BY source_table, delta_version
)
SELECT min(e.step) AS step,
       e.job,
       e.run_key,
       e.run_id,
       e.code_version,
       e.conf_hash,
       e.input_name,
       e.input_version,
       CASE WHEN e.job = 'snapshot' THEN 'source pin' ELSE 'read' END AS role,
       f.fingerprint,
       j.ended_ts AS run_ended_ts
FROM chain e
LEFT JOIN fingerprints f
  ON f.source_table = e.input_name AND f.delta_version = e.input_version
LEFT JOIN sluice.job_runs j ON j.run_id = e.run_id
GROUP BY e.job, e.run_key, e.run_id, e.code_version, e.conf_hash, e.input_name, e.input_version,
         f.fingerprint, j.ended_ts
ORDER BY step, e.job, e.input_name;
