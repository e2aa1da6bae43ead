-- Deployments: the alias history with reasons
-- Answers: every move of every alias of a model — registration, canary start, promotion, canary
-- abort, rollback — in order, with its reason, the job that made it and the digest deployed.
-- One row per alias move.
-- Parameters (defaults set below; override with --set key=value):
--   sluice.model  the model        default churn
-- Run: ./sluice sql -f docs/sql/deployment_history.sql --set sluice.model=churn
SET sluice.model=churn;

SELECT d.at_ts,
       d.alias,
       d.from_version,
       d.to_version,
       d.action,
       d.reason,
       j.job,
       d.run_key,
       d.digest
FROM sluice.deployments d
LEFT JOIN sluice.job_runs j ON j.run_id = d.run_id
WHERE d.model_name = '${sluice.model}'
ORDER BY d.at_ts, d.alias;
