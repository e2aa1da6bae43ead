/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

/** Column names of Sluice's own tables, defined once. */
public final class Columns {
  public static final String RUN_ID = "run_id";
  public static final String RUN_KEY = "run_key";
  public static final String JOB = "job";
  public static final String STATUS = "status";
  public static final String STARTED_TS = "started_ts";
  public static final String ENDED_TS = "ended_ts";
  public static final String EXIT_CODE = "exit_code";
  public static final String ERROR = "error";
  public static final String CONF_HASH = "conf_hash";
  public static final String CODE_VERSION = "code_version";
  public static final String LOGICAL_DATE = "logical_date";
  public static final String DURATION_MS = "duration_ms";

  public static final String SNAPSHOT_ID = "snapshot_id";
  public static final String SOURCE_TABLE = "source_table";
  public static final String LOCATION = "location";
  public static final String DELTA_VERSION = "delta_version";
  public static final String DELTA_TS = "delta_ts";
  public static final String ROW_COUNT = "row_count";
  public static final String SCHEMA_HASH = "schema_hash";
  public static final String FINGERPRINT = "fingerprint";
  public static final String PINNED_BY = "pinned_by";
  public static final String CREATED_TS = "created_ts";

  public static final String INPUT_KIND = "input_kind";
  public static final String INPUT_NAME = "input_name";
  public static final String INPUT_VERSION = "input_version";
  public static final String OUTPUT_KIND = "output_kind";
  public static final String OUTPUT_NAME = "output_name";
  public static final String OUTPUT_VERSION = "output_version";
  public static final String AT_TS = "at_ts";

  public static final String MODEL_NAME = "model_name";
  public static final String MODEL_VERSION = "model_version";
  public static final String COLUMN_NAME = "column_name";
  public static final String COLUMN_KIND = "column_kind";
  public static final String DATA_TYPE = "data_type";
  public static final String BIN_INDEX = "bin_index";
  public static final String BIN_LOWER = "bin_lower";
  public static final String BIN_UPPER = "bin_upper";
  public static final String CATEGORY = "category";
  public static final String BIN_COUNT = "bin_count";
  public static final String BIN_SHARE = "bin_share";
  public static final String NULL_COUNT = "null_count";
  public static final String NAN_COUNT = "nan_count";
  public static final String NULL_RATE = "null_rate";
  public static final String MEAN = "mean";
  public static final String STDDEV = "stddev";
  public static final String MIN = "min";
  public static final String MAX = "max";
  public static final String DISTINCT_COUNT = "distinct_count";

  private Columns() {}
}
