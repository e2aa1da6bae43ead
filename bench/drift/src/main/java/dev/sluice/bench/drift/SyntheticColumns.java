/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench.drift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.model.ProfiledColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * The benchmark's feature values as pure functions of a row id and a seed (xxhash64, never rand(),
 * so a rerun writes the same rows). Feature {@code i} is categorical when {@code i % 3 == 2} (about
 * a third), else numeric: a rounded normal, a rounded exponential or a long count, by {@code (i /
 * 3) % 3}. Every column is null in about 1% of rows. In a <b>shifted</b> day, each feature with
 * {@code i % 4 == 0} moves: a normal by half a standard deviation, an exponential's scale by 40%, a
 * count by 2, a category distribution flattens and gains new categories in 3% of rows; the score
 * moves too.
 */
final class SyntheticColumns {
  /** The score column, as {@code sluice score} writes a classifier's (and train profiles it). */
  static final String SCORE = "probability";

  private static final double TWO_TO_53 = 9007199254740992.0;
  private static final Column ID = col("id");

  private SyntheticColumns() {}

  /** Feature {@code i}'s column name, {@code group__feature} as in scoring_inputs. */
  static String name(int i) {
    return String.format("bench__f%03d", i);
  }

  static boolean categorical(int i) {
    return i % 3 == 2;
  }

  /** The profiled columns of {@code features} features, then the score, as train profiles them. */
  static List<ProfiledColumn> profiled(int features) {
    List<ProfiledColumn> columns = new ArrayList<>();
    for (int i = 0; i < features; i++) {
      columns.add(
          categorical(i) ? ProfiledColumn.categorical(name(i)) : ProfiledColumn.numeric(name(i)));
    }
    columns.add(ProfiledColumn.numeric(SCORE));
    return columns;
  }

  /** Uniform in [0, 1), determined by the seed, the salt and the row id. */
  static Column uniform(long seed, int salt) {
    return xxhash64(lit(seed), lit(salt), ID)
        .bitwiseAND(lit((1L << 53) - 1))
        .cast(DataTypes.DoubleType)
        .divide(TWO_TO_53);
  }

  /** Feature {@code i} of the rows of a day drawn with {@code seed}. */
  static Column feature(int i, long seed, boolean shifted) {
    int salt = 100 + 10 * i;
    boolean moves = shifted && i % 4 == 0;
    Column value = categorical(i) ? category(i, seed, salt, moves) : number(i, seed, salt, moves);
    return when(uniform(seed, salt + 9).geq(0.01), value).as(name(i));
  }

  /** The score of a classifier in [0, 1): mostly low, higher in a shifted day. */
  static Column score(long seed, boolean shifted) {
    return pow(uniform(seed, 1), shifted ? 1.6 : 2.0);
  }

  private static Column number(int i, long seed, int salt, boolean moves) {
    Column exponential = log(lit(1.0).minus(uniform(seed, salt))).unary_$minus();
    switch ((i / 3) % 3) {
      case 0:
        Column normal =
            sqrt(exponential.multiply(2.0))
                .multiply(cos(uniform(seed, salt + 1).multiply(2 * Math.PI)));
        double sd = 1 + i % 5;
        return round(normal.plus(moves ? 0.5 : 0.0).multiply(sd).plus(i), 3);
      case 1:
        double scale = (1 + i % 7) * (moves ? 1.4 : 1.0);
        return round(exponential.multiply(scale), 3);
      default:
        return floor(exponential.multiply(2 + i % 4)).plus(moves ? 2 : 0).cast(DataTypes.LongType);
    }
  }

  private static Column category(int i, long seed, int salt, boolean moves) {
    int categories = 5 + (7 * i) % 36; // 5 to 40: some columns fill the baseline's other bin
    Column u = uniform(seed, salt);
    Column known =
        format_string("c%02d", floor((moves ? u : u.multiply(u)).multiply(categories)).cast("int"));
    if (!moves) {
      return known;
    }
    Column fresh = format_string("new%d", floor(uniform(seed, salt + 2).multiply(5)).cast("int"));
    return when(uniform(seed, salt + 3).lt(0.03), fresh).otherwise(known);
  }
}
