/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import dev.sluice.model.BaselineProfile;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ProfiledColumn.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The per-value counting of {@link WindowProfiler}: for each group (model version, slice key, slice
 * value) of a partition's rows, per column, the null and NaN counts, the number of values, their
 * mean (sum over count, as Spark's {@code avg}), sample standard deviation (Spark's {@code
 * stddev_samp}: the same streaming update and merge of count, mean and squared deviations; null for
 * fewer than two values), min, max, and the histogram on the row's model version's baseline bins
 * ({@link BaselineProfile#binIndex(double[], double)} for a numeric value, the named category's bin
 * or the {@value ColumnProfile#OTHER} bin for a categorical one); and the sketches: a numeric
 * column's quantiles {@link WindowProfiler#QUANTILES} from an Apache DataSketches KLL sketch (k =
 * {@value #KLL_K}), every column's distinct count (a categorical column: its named categories seen,
 * exact, plus an HLL estimate of the other values; a numeric one: the HLL estimate, lg k = {@value
 * #HLL_LG_K}), and a categorical column's {@value WindowProfiler#MAX_UNSEEN} alphabetically first
 * values outside the baseline's named categories.
 *
 * <p>Why not Spark aggregates: a histogram of B bins took B {@code sum(when(bin = k, 1))}
 * aggregates, about 1,400 update expressions per row at 50 features, which ran row by row through a
 * generated projection in the object hash aggregate and made the profile about ten times slower
 * than a scan of the window; {@code percentile_approx} sorts boxed doubles and {@code
 * approx_count_distinct} boxes every value. A typed {@code Aggregator} doing this loop still paid
 * for turning every row into a {@code Row} of boxed values and for exploding it into its slices. So
 * the rows are read as Spark's {@link InternalRow}s (unboxed doubles, strings as their UTF-8 bytes)
 * and each partition folds them into its groups' {@link Buffer}s in one loop, each value handled
 * once per group (JFR profiles of bench/drift, docs/drift.md).
 *
 * <p>Input rows: the model version (long), each slice's value (string, never null), then each
 * column in input order, a numeric one cast to double and a categorical one to string.
 */
final class WindowCounts implements Serializable {
  /** The KLL sketch's k: normalized rank error about 1.65% (99% confidence), exact to k values. */
  static final int KLL_K = 200;

  /**
   * The HLL sketch's lg k: relative standard error about 1.6%. Its HLL_8 registers (4 KiB per
   * column and group) update faster than the compact HLL_4 ones.
   */
  static final int HLL_LG_K = 12;

  /** How many values outside the named categories a buffer remembers per column. */
  static final int OTHERS_REMEMBERED = 10_000;

  private static final double[] RANKS =
      WindowProfiler.QUANTILES.stream().mapToDouble(Double::doubleValue).toArray();

  private static final long serialVersionUID = 1L;

  private final Map<Long, Binning[]> binnings;
  private final List<String> slices;
  private final int columns;

  /**
   * @param baselines each version's baseline
   * @param slices the slices' names, in input order
   * @param names the columns, in input order
   */
  WindowCounts(Map<Long, List<ColumnProfile>> baselines, List<String> slices, List<String> names) {
    this.columns = names.size();
    this.slices = List.copyOf(slices);
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

  /** A group of rows: one model version's rows in one slice. */
  record Group(long version, String key, String value) implements Serializable {}

  /** One column's counts in one group; the statistics are null where undefined. */
  record Counts(
      long nulls,
      long nans,
      long values,
      Double mean,
      Double stddev,
      Double min,
      Double max,
      long[] histogram,
      List<Double> quantiles,
      long distinct,
      List<String> unseen) {}

  /** How one version bins one column: by edges (numeric) or by category (as UTF-8 bytes). */
  record Binning(double[] edges, Map<UTF8String, Integer> categories, int other, int bins)
      implements Serializable {
    static Binning of(ColumnProfile baseline) {
      if (baseline.kind() == Kind.NUMERIC) {
        return new Binning(baseline.innerEdges(), null, -1, baseline.bins().size());
      }
      Map<UTF8String, Integer> categories = new HashMap<>();
      int other = -1;
      for (Bin b : baseline.bins()) {
        String category = b.category().orElseThrow();
        if (category.equals(ColumnProfile.OTHER)) {
          other = b.index();
        } else {
          categories.put(UTF8String.fromString(category), b.index());
        }
      }
      return new Binning(null, categories, other, baseline.bins().size());
    }

    boolean numeric() {
      return edges != null;
    }
  }

  /**
   * Folds one partition's rows into their groups.
   *
   * @return one element: the partition's groups and their buffers, Java-serialized (whatever
   *     serializer the Spark application configured, the sketches travel as their own bytes)
   */
  Iterator<byte[]> countPartition(Iterator<InternalRow> rows) {
    Map<Group, Buffer> groups = new HashMap<>();
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      long version = row.getLong(0);
      add(buffer(groups, new Group(version, WindowProfiler.ALL, WindowProfiler.ALL)), row);
      for (int j = 0; j < slices.size(); j++) {
        Group group = new Group(version, slices.get(j), row.getUTF8String(1 + j).toString());
        add(buffer(groups, group), row);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(groups);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.of(bytes.toByteArray()).iterator();
  }

  /** Merges the groups of every partition, as {@link #countPartition} wrote them. */
  Map<Group, Buffer> merge(List<byte[]> partitions) {
    Map<Group, Buffer> groups = new HashMap<>();
    for (byte[] partition : partitions) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(partition))) {
        @SuppressWarnings("unchecked")
        Map<Group, Buffer> part = (Map<Group, Buffer>) in.readObject();
        part.forEach((group, buffer) -> groups.merge(group, buffer, this::merge));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return groups;
  }

  private Buffer buffer(Map<Group, Buffer> groups, Group group) {
    Buffer buffer = groups.get(group);
    if (buffer == null) {
      buffer = new Buffer(binnings.get(group.version()), columns);
      groups.put(group, buffer);
    }
    return buffer;
  }

  /** The counts of one group so far. */
  static final class Buffer implements Serializable {
    private static final long serialVersionUID = 1L;

    long rows;
    final boolean profiled; // the version has a baseline
    final transient Binning[] layout; // the version's bins, while counting a partition
    final long[] nulls;
    final long[] nans;
    final long[] values;
    final double[] sum;
    final double[] average; // the running mean of the stddev update, as stddev_samp keeps it
    final double[] squares; // the sum of squared deviations from it
    final double[] min;
    final double[] max;
    final long[][] histogram;
    transient KllDoublesSketch[] quantiles; // numeric columns
    transient HllSketch[] distinct; // numeric: every value; categorical: values outside the named
    final TreeSet<String>[] unseen; // categorical: the first MAX_UNSEEN values outside the named
    transient HashSet<String>[] others; // categorical: values outside the named already counted

    @SuppressWarnings("unchecked")
    Buffer(Binning[] layout, int columns) {
      this.profiled = layout != null;
      this.layout = layout;
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
      unseen = new TreeSet[columns];
      others = new HashSet[columns];
      for (int i = 0; i < columns; i++) {
        Binning binning = layout == null ? null : layout[i];
        histogram[i] = new long[binning == null ? 0 : binning.bins()];
        if (binning == null) {
          continue;
        }
        distinct[i] = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
        if (binning.numeric()) {
          quantiles[i] = KllDoublesSketch.newHeapInstance(KLL_K);
        } else {
          unseen[i] = new TreeSet<>();
          others[i] = new HashSet<>();
        }
      }
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
      for (int i = 0; i < histogram.length; i++) {
        out.writeObject(quantiles[i] == null ? null : quantiles[i].toByteArray());
        out.writeObject(distinct[i] == null ? null : distinct[i].toCompactByteArray());
      }
    }

    @SuppressWarnings("unchecked")
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      others = new HashSet[histogram.length];
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

  /** Counts one row's values (from index {@code 1 + slices}) in the group's buffer. */
  private void add(Buffer b, InternalRow row) {
    b.rows++;
    if (!b.profiled) {
      return; // a version without a baseline is not profiled
    }
    Binning[] layout = b.layout;
    int first = 1 + slices.size();
    for (int i = 0; i < columns; i++) {
      Binning binning = layout[i];
      if (binning == null) {
        continue;
      }
      if (row.isNullAt(first + i)) {
        b.nulls[i]++;
      } else if (binning.numeric()) {
        add(b, i, binning, row.getDouble(first + i));
      } else {
        b.values[i]++;
        UTF8String value = row.getUTF8String(first + i);
        Integer bin = binning.categories().get(value);
        if (bin != null) {
          b.histogram[i][bin]++;
          continue;
        }
        if (binning.other() >= 0) {
          b.histogram[i][binning.other()]++;
        }
        b.other(i, value.toString());
      }
    }
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

  private Buffer merge(Buffer b1, Buffer b2) {
    b1.rows += b2.rows;
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
        b1.distinct[i] = union.getResult(TgtHllType.HLL_8);
      }
      if (b1.unseen[i] != null) {
        for (String value : b2.unseen[i]) {
          b1.unseen(i, value);
        }
      }
    }
    return b1;
  }

  /**
   * A group's counts per column, in input order; null for a column the version's baseline does not
   * have (every column for a version without a baseline).
   */
  List<Counts> finish(Group group, Buffer b) {
    Binning[] layout = binnings.get(group.version());
    List<Counts> out = new ArrayList<>();
    for (int i = 0; i < columns; i++) {
      if (layout == null || layout[i] == null) {
        out.add(null);
        continue;
      }
      long n = b.values[i];
      boolean numeric = layout[i].numeric() && n > 0;
      out.add(
          new Counts(
              b.nulls[i],
              b.nans[i],
              n,
              numeric ? b.sum[i] / n : null,
              numeric && n > 1 ? Math.sqrt(b.squares[i] / (n - 1)) : null,
              numeric ? b.min[i] : null,
              numeric ? b.max[i] : null,
              b.histogram[i].clone(),
              numeric
                  ? Arrays.stream(b.quantiles[i].getQuantiles(RANKS)).boxed().toList()
                  : List.of(),
              distinct(b, i, layout[i]),
              layout[i].numeric() ? List.of() : List.copyOf(b.unseen[i])));
    }
    return out;
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
}
