-- Sluice registry: MLflow tracking and model registry. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE experiments (
  experiment_id BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(256) NOT NULL UNIQUE,
  artifact_location VARCHAR(2048),
  lifecycle_stage VARCHAR(32) NOT NULL,
  creation_time BIGINT NOT NULL,
  last_update_time BIGINT NOT NULL
);

CREATE TABLE experiment_tags (
  experiment_id BIGINT NOT NULL,
  tag_key VARCHAR(250) NOT NULL,
  tag_value TEXT,
  PRIMARY KEY (experiment_id, tag_key)
);

CREATE TABLE runs (
  run_uuid VARCHAR(32) NOT NULL PRIMARY KEY,
  experiment_id BIGINT NOT NULL,
  run_name VARCHAR(250),
  user_id VARCHAR(256),
  status VARCHAR(20) NOT NULL,
  start_time BIGINT,
  end_time BIGINT,
  lifecycle_stage VARCHAR(32) NOT NULL,
  artifact_uri VARCHAR(2048),
  deleted_time BIGINT
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time);

CREATE TABLE run_tags (
  run_uuid VARCHAR(32) NOT NULL,
  tag_key VARCHAR(250) NOT NULL,
  tag_value TEXT,
  PRIMARY KEY (run_uuid, tag_key)
);

CREATE TABLE params (
  run_uuid VARCHAR(32) NOT NULL,
  param_key VARCHAR(250) NOT NULL,
  param_value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, param_key)
);

-- Every logged point; the primary key makes resending an identical point a no-op, as in MLflow.
CREATE TABLE metrics (
  run_uuid VARCHAR(32) NOT NULL,
  metric_key VARCHAR(250) NOT NULL,
  metric_value DOUBLE PRECISION NOT NULL,
  ts BIGINT NOT NULL,
  step BIGINT NOT NULL,
  is_nan BOOLEAN NOT NULL,
  PRIMARY KEY (run_uuid, metric_key, ts, step, metric_value, is_nan)
);

-- The latest point per run and key (max step, then timestamp, then value): RunData.metrics.
CREATE TABLE latest_metrics (
  run_uuid VARCHAR(32) NOT NULL,
  metric_key VARCHAR(250) NOT NULL,
  metric_value DOUBLE PRECISION NOT NULL,
  ts BIGINT NOT NULL,
  step BIGINT NOT NULL,
  is_nan BOOLEAN NOT NULL,
  PRIMARY KEY (run_uuid, metric_key)
);

CREATE TABLE registered_models (
  name VARCHAR(256) NOT NULL PRIMARY KEY,
  creation_time BIGINT NOT NULL,
  last_updated_time BIGINT NOT NULL,
  description TEXT
);

CREATE TABLE registered_model_tags (
  name VARCHAR(256) NOT NULL,
  tag_key VARCHAR(250) NOT NULL,
  tag_value TEXT,
  PRIMARY KEY (name, tag_key)
);

CREATE TABLE registered_model_aliases (
  name VARCHAR(256) NOT NULL,
  alias VARCHAR(256) NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (name, alias)
);

-- Deleted versions stay with current_stage 'Deleted_Internal', so version numbers never repeat.
CREATE TABLE model_versions (
  name VARCHAR(256) NOT NULL,
  version INTEGER NOT NULL,
  creation_time BIGINT NOT NULL,
  last_updated_time BIGINT NOT NULL,
  description TEXT,
  user_id VARCHAR(256),
  current_stage VARCHAR(32) NOT NULL,
  source TEXT,
  run_id VARCHAR(32),
  run_link TEXT,
  status VARCHAR(32) NOT NULL,
  status_message TEXT,
  storage_location TEXT,
  PRIMARY KEY (name, version)
);

CREATE TABLE model_version_tags (
  name VARCHAR(256) NOT NULL,
  version INTEGER NOT NULL,
  tag_key VARCHAR(250) NOT NULL,
  tag_value TEXT,
  PRIMARY KEY (name, version, tag_key)
);
