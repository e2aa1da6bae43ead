/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TestFingerprint extends SparkTestBase {
  private static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("id", DataTypes.LongType, true),
              DataTypes.createStructField("name", DataTypes.StringType, true),
              DataTypes.createStructField("amount", DataTypes.DoubleType, true)));

  @Test
  void ignoresRowOrderAndPartitioning() {
    List<Row> rows = randomRows(500, 1);
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(7));

    Fingerprint a = Fingerprint.of(frame(rows).repartition(1));
    Fingerprint b = Fingerprint.of(frame(shuffled).repartition(7));

    assertThat(b).as("same rows in another order and partitioning").isEqualTo(a);
    assertThat(a.rowCount()).isEqualTo(500);
  }

  @Test
  void countsADuplicatedRowTwice() {
    List<Row> rows = randomRows(50, 2);
    List<Row> twice = new ArrayList<>(rows);
    twice.add(rows.get(0));
    twice.add(rows.get(0));

    Fingerprint once = Fingerprint.of(frame(rows));
    Fingerprint dup = Fingerprint.of(frame(twice));

    assertThat(dup.hashSum())
        .as("unlike XOR, a pair of duplicates changes the sum")
        .isNotEqualTo(once.hashSum());
    assertThat(dup.rowCount()).isEqualTo(52);
  }

  @Test
  void distinguishesWhereANullSits() {
    StructType twoLongs =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("a", DataTypes.LongType, true),
                DataTypes.createStructField("b", DataTypes.LongType, true)));
    Dataset<Row> left = spark.createDataFrame(List.of(RowFactory.create(1L, null)), twoLongs);
    Dataset<Row> right = spark.createDataFrame(List.of(RowFactory.create(null, 1L)), twoLongs);

    assertThat(Fingerprint.of(left)).isNotEqualTo(Fingerprint.of(right));
  }

  @Test
  void equalsTheSumOfRowHashesModTwoToTheSixtyFour() {
    List<Row> rows = randomRows(300, 3);
    Dataset<Row> frame = frame(rows);
    // An independent reduction: collect each row's hash and add with wrapping long arithmetic.
    long expected = 0;
    for (Row r : frame.select(Fingerprint.rowHash(SCHEMA)).collectAsList()) {
      expected += r.getLong(0);
    }

    Fingerprint fp = Fingerprint.of(frame);

    assertThat(fp.hashSum()).isEqualTo(expected);
    assertThat(fp.value()).isEqualTo(String.format("%016x:%d", expected, 300));
  }

  @Test
  void emptyTableHasZeroFingerprint() {
    Fingerprint fp = Fingerprint.of(frame(List.of()));

    assertThat(fp.value()).isEqualTo("0000000000000000:0");
  }

  @Test
  void schemaHashChangesWithTypes() {
    StructType other =
        SCHEMA.add(DataTypes.createStructField("extra", DataTypes.IntegerType, true));

    assertThat(Fingerprint.schemaHash(SCHEMA))
        .hasSize(16)
        .isNotEqualTo(Fingerprint.schemaHash(other));
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static List<Row> randomRows(int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          RowFactory.create(
              (long) i,
              random.nextInt(10) == 0 ? null : "name-" + random.nextInt(1000),
              random.nextDouble() * 100));
    }
    return rows;
  }
}
