/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.model.BaselineProfile;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ProfiledColumn.Kind;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.types.StructType;

/**
 * The per-value counting of {@link WindowProfiler} as one aggregate function over every column: per
 * column, the null and NaN counts, the number of values, their mean (sum over count, as Spark's
 * {@code avg}), sample standard deviation (Spark's {@code stddev_samp}: the same streaming update
 * and merge of count, mean and squared deviations; null for fewer than two values), min, max, and
 * the histogram on the row's model version's baseline bins ({@link
 * BaselineProfile#binIndex(double[], double)} for a numeric value, the named category's bin or the
 * {@value ColumnProfile#OTHER} bin for a categorical one); and the sketches: a numeric column's
 * quantiles {@link WindowProfiler#QUANTILES} from an Apache DataSketches KLL sketch (k = {@value
 * #KLL_K}), every column's distinct count (a categorical column: its named categories seen, exact,
 * plus an HLL estimate of the other values; a numeric one: the HLL estimate, lg k = {@value
 * #HLL_LG_K}), and a categorical column's {@value WindowProfiler#MAX_UNSEEN} alphabetically first
 * values outside the baseline's named categories.
 *
 * <p>Why not one Spark aggregate per statistic and bin: a histogram of B bins took B {@code
 * sum(when(bin = k, 1))} aggregates, about 1,400 update expressions per row at 50 features; next to
 * {@code percentile_approx} they run in the object hash aggregate, row by row through a generated
 * projection, and made the profile about ten times slower than a scan of the window. Spark's {@code
 * percentile_approx} then still cost more than reading the window (it sorts boxed doubles) and
 * {@code approx_count_distinct} boxes every value (JFR profiles of bench/drift). Here each value is
 * handled once, in one loop.
 *
 * <p>Input: the model version (long), then each column in {@code numeric} order, a numeric one cast
 * to double and a categorical one to string. Output: {@link #OUTPUT}, one {@link #COLUMN} per
 * column, null for a column the version's baseline does not have.
 */
final class WindowCounts extends Aggregator<Row, WindowCounts.Buffer, Row> {
  /** One column's counts: the fields below, null where undefined, and the histogram. */
  static final StructType COLUMN =
      new StructType()
          .add("nulls", LongType, false)
          .add("nans", LongType, false)
          .add("values", LongType, false)
          .add("mean", DoubleType, true)
          .add("stddev", DoubleType, true)
          .add("min", DoubleType, true)
          .add("max", DoubleType, true)
          .add("histogram", createArrayType(LongType, false), false)
          .add("quantiles", createArrayType(DoubleType, false), true)
          .add("distinct", LongType, false)
          .add("unseen", createArrayType(StringType, false), true);

  static final StructType OUTPUT =
      new StructType().add("columns", createArrayType(COLUMN, true), false);

  /** The KLL sketch's k: normalized rank error about 1.65% (99% confidence), exact to k values. */
  static final int KLL_K = 200;

  /** The HLL sketch's lg k: relative standard error about 1.6%. */
  static final int HLL_LG_K = 12;

  /** How many values outside the named categories a buffer remembers per column. */
  static final int OTHERS_REMEMBERED = 10_000;

  private static final double[] RANKS =
      WindowProfiler.QUANTILES.stream().mapToDouble(Double::doubleValue).toArray();

  private static final long serialVersionUID = 1L;

  private final Map<Long, Binning[]> binnings;
  private final int columns;

  /**
   * @param baselines each version's baseline
   * @param names the columns, in input order
   */
  WindowCounts(Map<Long, List<ColumnProfile>> baselines, List<String> names) {
    this.columns = names.size();
    this.binnings = new HashMap<>();
    baselines.forEach(
        (version, profiles) -> {
          Binning[] layout = new Binning[columns];
          for (ColumnProfile p : profiles) {
            layout[names.indexOf(p.name())] = Binning.of(p);
          }
          binnings.put(version, layout);
        });
  }

  /** How one version bins one column: by edges (numeric) or by category. */
  record Binning(double[] edges, Map<String, Integer> categories, int other, int bins)
      implements Serializable {
    static Binning of(ColumnProfile baseline) {
      if (baseline.kind() == Kind.NUMERIC) {
        return new Binning(baseline.innerEdges(), null, -1, baseline.bins().size());
      }
      Map<String, Integer> categories = new HashMap<>();
      int other = -1;
      for (Bin b : baseline.bins()) {
        String category = b.category().orElseThrow();
        if (category.equals(ColumnProfile.OTHER)) {
          other = b.index();
        } else {
          categories.put(category, b.index());
        }
      }
      return new Binning(null, categories, other, baseline.bins().size());
    }

    boolean numeric() {
      return edges != null;
    }
  }

  /** The counts of one group so far; empty until its first row tells the version. */
  public static final class Buffer implements Serializable {
    private static final long serialVersionUID = 1L;

    boolean started;
    long version;
    long[] nulls;
    long[] nans;
    long[] values;
    double[] sum;
    double[] average; // the running mean of the stddev update, as stddev_samp keeps it
    double[] squares; // the sum of squared deviations from it
    double[] min;
    double[] max;
    long[][] histogram;
    transient KllDoublesSketch[] quantiles; // numeric columns
    transient HllSketch[] distinct; // numeric: every value; categorical: values outside the named
    TreeSet<String>[] unseen; // categorical: the first MAX_UNSEEN values outside the named
    transient HashSet<String>[] others; // categorical: values outside the named already counted

    void start(long version, Binning[] layout, int columns) {
      this.started = true;
      this.version = version;
      nulls = new long[columns];
      nans = new long[columns];
      values = new long[columns];
      sum = new double[columns];
      average = new double[columns];
      squares = new double[columns];
      min = new double[columns];
      max = new double[columns];
      Arrays.fill(min, Double.POSITIVE_INFINITY);
      Arrays.fill(max, Double.NEGATIVE_INFINITY);
      histogram = new long[columns][];
      quantiles = new KllDoublesSketch[columns];
      distinct = new HllSketch[columns];
      @SuppressWarnings("unchecked")
      TreeSet<String>[] sets = new TreeSet[columns];
      unseen = sets;
      others = others(columns);
      for (int i = 0; i < columns; i++) {
        Binning binning = layout == null ? null : layout[i];
        histogram[i] = new long[binning == null ? 0 : binning.bins()];
        if (binning == null) {
          continue;
        }
        distinct[i] = new HllSketch(HLL_LG_K);
        if (binning.numeric()) {
          quantiles[i] = KllDoublesSketch.newHeapInstance(KLL_K);
        } else {
          unseen[i] = new TreeSet<>();
          others[i] = new HashSet<>();
        }
      }
    }

    @SuppressWarnings("unchecked")
    private static HashSet<String>[] others(int columns) {
      return new HashSet[columns];
    }

    /**
     * Counts a value outside the named categories in the distinct count and the unseen ones. A
     * value seen before changes neither: up to {@value #OTHERS_REMEMBERED} such values per column
     * are remembered, so a repeated one costs a lookup instead of a hash and a sorted insert.
     */
    void other(int i, String value) {
      HashSet<String> seen = others[i];
      if (seen.contains(value)) {
        return;
      }
      if (seen.size() < OTHERS_REMEMBERED) {
        seen.add(value);
      }
      distinct[i].update(value);
      unseen(i, value);
    }

    /** Keeps a value outside the named categories among the first {@code MAX_UNSEEN}. */
    void unseen(int i, String value) {
      TreeSet<String> set = unseen[i];
      if (set.size() < WindowProfiler.MAX_UNSEEN) {
        set.add(value);
      } else if (value.compareTo(set.last()) < 0 && set.add(value)) {
        set.pollLast();
      }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      if (started) {
        for (int i = 0; i < histogram.length; i++) {
          out.writeObject(quantiles[i] == null ? null : quantiles[i].toByteArray());
          out.writeObject(distinct[i] == null ? null : distinct[i].toCompactByteArray());
        }
      }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      if (started) {
        others = others(histogram.length);
        quantiles = new KllDoublesSketch[histogram.length];
        distinct = new HllSketch[histogram.length];
        for (int i = 0; i < histogram.length; i++) {
          byte[] kll = (byte[]) in.readObject();
          byte[] hll = (byte[]) in.readObject();
          quantiles[i] = kll == null ? null : KllDoublesSketch.heapify(Memory.wrap(kll));
          distinct[i] = hll == null ? null : HllSketch.heapify(hll);
          others[i] = unseen[i] == null ? null : new HashSet<>();
        }
      }
    }
  }

  @Override
  public Buffer zero() {
    return new Buffer();
  }

  @Override
  public Buffer reduce(Buffer b, Row row) {
    long version = row.getLong(0);
    Binning[] layout = binnings.get(version);
    if (!b.started) {
      b.start(version, layout, columns);
    }
    if (layout == null) {
      return b; // a version without a baseline is not profiled
    }
    for (int i = 0; i < columns; i++) {
      Binning binning = layout[i];
      if (binning == null) {
        continue;
      }
      if (row.isNullAt(i + 1)) {
        b.nulls[i]++;
      } else if (binning.numeric()) {
        add(b, i, binning, row.getDouble(i + 1));
      } else {
        b.values[i]++;
        String value = row.getString(i + 1);
        Integer bin = binning.categories().get(value);
        if (bin != null) {
          b.histogram[i][bin]++;
          continue;
        }
        if (binning.other() >= 0) {
          b.histogram[i][binning.other()]++;
        }
        b.other(i, value);
      }
    }
    return b;
  }

  private static void add(Buffer b, int i, Binning binning, double x) {
    if (Double.isNaN(x)) {
      b.nans[i]++;
      return;
    }
    long n = ++b.values[i];
    b.sum[i] += x;
    double delta = x - b.average[i];
    double deltaN = delta / n;
    b.average[i] += deltaN;
    b.squares[i] += delta * (delta - deltaN);
    b.min[i] = Math.min(b.min[i], x);
    b.max[i] = Math.max(b.max[i], x);
    b.histogram[i][BaselineProfile.binIndex(binning.edges(), x)]++;
    b.quantiles[i].update(x);
    b.distinct[i].update(x);
  }

  @Override
  public Buffer merge(Buffer b1, Buffer b2) {
    if (!b2.started) {
      return b1;
    }
    if (!b1.started) {
      return b2;
    }
    for (int i = 0; i < columns; i++) {
      long n1 = b1.values[i];
      long n2 = b2.values[i];
      long n = n1 + n2;
      double delta = b2.average[i] - b1.average[i];
      double deltaN = n == 0 ? 0.0 : delta / n;
      b1.average[i] += deltaN * n2;
      b1.squares[i] += b2.squares[i] + delta * deltaN * n1 * n2;
      b1.values[i] = n;
      b1.nulls[i] += b2.nulls[i];
      b1.nans[i] += b2.nans[i];
      b1.sum[i] += b2.sum[i];
      b1.min[i] = Math.min(b1.min[i], b2.min[i]);
      b1.max[i] = Math.max(b1.max[i], b2.max[i]);
      for (int k = 0; k < b1.histogram[i].length; k++) {
        b1.histogram[i][k] += b2.histogram[i][k];
      }
      if (b1.quantiles[i] != null) {
        b1.quantiles[i].merge(b2.quantiles[i]);
      }
      if (b1.distinct[i] != null) {
        Union union = new Union(HLL_LG_K);
        union.update(b1.distinct[i]);
        union.update(b2.distinct[i]);
        b1.distinct[i] = union.getResult(TgtHllType.HLL_4);
      }
      if (b1.unseen[i] != null) {
        for (String value : b2.unseen[i]) {
          b1.unseen(i, value);
        }
      }
    }
    return b1;
  }

  @Override
  public Row finish(Buffer b) {
    Object[] out = new Object[columns];
    Binning[] layout = b.started ? binnings.get(b.version) : null;
    for (int i = 0; layout != null && i < columns; i++) {
      if (layout[i] == null) {
        continue;
      }
      long n = b.values[i];
      boolean numeric = layout[i].numeric() && n > 0;
      out[i] =
          RowFactory.create(
              b.nulls[i],
              b.nans[i],
              n,
              numeric ? b.sum[i] / n : null,
              numeric && n > 1 ? Math.sqrt(b.squares[i] / (n - 1)) : null,
              numeric ? b.min[i] : null,
              numeric ? b.max[i] : null,
              Arrays.stream(b.histogram[i]).boxed().toArray(),
              numeric ? Arrays.stream(b.quantiles[i].getQuantiles(RANKS)).boxed().toArray() : null,
              distinct(b, i, layout[i]),
              layout[i].numeric() ? null : b.unseen[i].toArray());
    }
    return RowFactory.create((Object) out);
  }

  /** A categorical column's named categories seen plus the estimate of its other values. */
  private static long distinct(Buffer b, int i, Binning binning) {
    long estimate = Math.round(b.distinct[i].getEstimate());
    if (binning.numeric()) {
      return estimate;
    }
    long named = binning.categories().values().stream().filter(k -> b.histogram[i][k] > 0).count();
    return named + estimate;
  }

  @Override
  public Encoder<Buffer> bufferEncoder() {
    return Encoders.javaSerialization(Buffer.class);
  }

  @Override
  public Encoder<Row> outputEncoder() {
    return Encoders.row(OUTPUT);
  }

  /**
   * The input's schema: the version, then each column as double (numeric) or string.
   *
   * @param columns the columns and their kinds, in input order
   */
  static StructType inputSchema(Map<String, Kind> columns) {
    StructType schema = new StructType().add("version", LongType, false);
    int i = 0;
    for (Kind kind : columns.values()) {
      schema = schema.add("c_" + i++, kind == Kind.NUMERIC ? DoubleType : StringType, true);
    }
    return schema;
  }
}
