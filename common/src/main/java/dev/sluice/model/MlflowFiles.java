/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The MLflow files of a model artifact, as MLflow 2.17's {@code mlflow.spark} flavor writes them:
 * {@code MLmodel}, {@code conda.yaml}, {@code python_env.yaml} and {@code requirements.txt}, so
 * that {@code mlflow.pyfunc.load_model} and {@code mlflow.spark.load_model} read the artifact.
 */
final class MlflowFiles {
  static final String MLMODEL = "MLmodel";
  static final String CONDA = "conda.yaml";
  static final String PYTHON_ENV = "python_env.yaml";
  static final String REQUIREMENTS = "requirements.txt";
  static final String MLFLOW_VERSION = "2.17.2";
  static final String PYTHON_VERSION = "3.10";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  private static final ObjectMapper JSON = new ObjectMapper();
  // MLflow writes str(datetime.utcnow()).
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private static final Map<DataType, String> SCALAR_TYPES =
      Map.of(
          DataTypes.BooleanType, "boolean",
          DataTypes.IntegerType, "integer",
          DataTypes.LongType, "long",
          DataTypes.FloatType, "float",
          DataTypes.DoubleType, "double",
          DataTypes.StringType, "string",
          DataTypes.BinaryType, "binary",
          DataTypes.TimestampType, "datetime",
          DataTypes.DateType, "datetime");

  private MlflowFiles() {}

  /** Writes {@code conda.yaml}, {@code python_env.yaml} and {@code requirements.txt}. */
  static void writeEnvironment(Path dir, String sparkVersion) {
    List<String> pins = List.of("mlflow==" + MLFLOW_VERSION, "pyspark==" + sparkVersion);
    Map<String, Object> conda = new LinkedHashMap<>();
    conda.put("channels", List.of("conda-forge"));
    conda.put("dependencies", List.of("python=" + PYTHON_VERSION, "pip", Map.of("pip", pins)));
    conda.put("name", "mlflow-env");
    writeYaml(dir.resolve(CONDA), conda);

    Map<String, Object> pythonEnv = new LinkedHashMap<>();
    pythonEnv.put("python", PYTHON_VERSION);
    pythonEnv.put("build_dependencies", List.of("pip", "setuptools", "wheel"));
    pythonEnv.put("dependencies", List.of("-r " + REQUIREMENTS));
    writeYaml(dir.resolve(PYTHON_ENV), pythonEnv);

    writeText(dir.resolve(REQUIREMENTS), String.join("\n", pins) + "\n");
  }

  /**
   * Writes {@code MLmodel} for the model saved under {@code modelData} (a directory name relative
   * to {@code dir}).
   */
  static void writeMlModel(
      Path dir, String modelData, ArtifactInfo info, String sparkVersion, long modelSizeBytes) {
    Map<String, Object> spark = new LinkedHashMap<>();
    spark.put("code", null);
    spark.put("model_class", "pyspark.ml.pipeline.PipelineModel");
    spark.put("model_data", modelData);
    spark.put("pyspark_version", sparkVersion);

    Map<String, Object> pyfunc = new LinkedHashMap<>();
    pyfunc.put("data", modelData);
    pyfunc.put("env", new TreeMap<>(Map.of("conda", CONDA, "virtualenv", PYTHON_ENV)));
    pyfunc.put("loader_module", "mlflow.spark");
    pyfunc.put("python_version", PYTHON_VERSION);

    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("inputs", columnSpecs(info.inputs()));
    signature.put("outputs", columnSpecs(info.outputs()));
    signature.put("params", null);

    Map<String, Object> mlModel = new LinkedHashMap<>();
    mlModel.put("artifact_path", "model");
    mlModel.put("flavors", new TreeMap<>(Map.of("python_function", pyfunc, "spark", spark)));
    mlModel.put("mlflow_version", MLFLOW_VERSION);
    mlModel.put("model_size_bytes", modelSizeBytes);
    mlModel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    mlModel.put("run_id", info.runId());
    mlModel.put("signature", signature);
    mlModel.put("utc_time_created", UTC_TIME.format(info.createdAt()));
    writeYaml(dir.resolve(MLMODEL), mlModel);
  }

  /** The input column names of the MLmodel's signature, in order. */
  static List<String> inputColumns(Path dir) {
    try {
      Map<?, ?> mlModel = YAML.readValue(dir.resolve(MLMODEL).toFile(), Map.class);
      Object signature = mlModel.get("signature");
      if (!(signature instanceof Map<?, ?> sig) || !(sig.get("inputs") instanceof String inputs)) {
        throw new IllegalStateException("MLmodel has no signature inputs");
      }
      List<String> names = new ArrayList<>();
      for (Object spec : JSON.readValue(inputs, List.class)) {
        names.add(String.valueOf(((Map<?, ?>) spec).get("name")));
      }
      return List.copyOf(names);
    } catch (IOException | RuntimeException e) {
      throw dev.sluice.error.PipelineErrors.artifactInvalid(
          dir.toString(), "its MLmodel signature cannot be read: " + e.getMessage());
    }
  }

  /** MLflow's column-based schema: a JSON list of {@code {"type", "name", "required"}}. */
  static String columnSpecs(StructType columns) {
    List<Map<String, Object>> specs = new ArrayList<>();
    for (StructField field : columns.fields()) {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("type", mlflowType(field));
      spec.put("name", field.name());
      spec.put("required", !field.nullable());
      specs.add(spec);
    }
    try {
      return JSON.writeValueAsString(specs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render the signature of " + columns, e);
    }
  }

  /** The MLflow {@code DataType} name of a Spark column type. */
  static String mlflowType(StructField field) {
    DataType type = field.dataType();
    if (type instanceof VectorUDT) {
      return "sparkml_vector";
    }
    String name = SCALAR_TYPES.get(type);
    if (name == null) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot describe column %s of type %s in an MLflow signature (supported: %s and"
                  + " vectors)",
              field.name(), type.simpleString(), new TreeSet<>(SCALAR_TYPES.values())));
    }
    return name;
  }

  private static void writeYaml(Path file, Object content) {
    try {
      YAML.writeValue(file.toFile(), content);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static void writeText(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
