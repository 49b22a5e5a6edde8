package io.dtstream.injector;

import io.dtstream.contract.kafka.Topics;
import static java.nio.charset.StandardCharsets.UTF_8;
import static io.dtstream.testing.HostileLines.describe;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.dtstream.contract.model.Malformed;
import io.dtstream.contract.model.RowParser;
import io.dtstream.contract.model.Skipped;
import io.dtstream.local.LocalKafka;
import io.dtstream.testing.HostileLines;
import io.dtstream.testing.HostileLines.Kind;
import io.dtstream.testing.HostileLines.Line;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The injector's files get the shared hostile-input treatment: over 100,000 lines of binary
 * garbage (NUL, invalid UTF-8), huge lines, wrong field counts, overflowing numbers, NaN, unicode,
 * blank and header lines, ended by \n, \r\n or \r, in files without a final newline, empty, of
 * newlines only, with a BOM, compressed and not, mixed with valid rows. Replayed into a real
 * broker and read back with a plain consumer: every line read arrives once, as it was read, in
 * order per partition, and the report counts it (rowsRead, rowsSent, malformed) as this test does
 * on its own; lines of up to 1,000,000 bytes included. Corrupt or truncated .gz, .bz2, .zst files,
 * an .lzo file (no decompressor here) and a line too long for a Kafka record (48 MiB without a line
 * end, in a JVM of 64 MiB) end the run, in its own JVM, with one line on stderr naming the
 * file and the rows sent before the error, and a non-zero exit: no stack trace, no hang, no silent
 * partial success, and every row read before the error sent.
 *
 * <p>What a line is, as the injector reads files (RowSource): the bytes decoded as UTF-8 (an
 * invalid byte becomes U+FFFD, as the pipeline's Kafka deserializer would make it), lines ending
 * at \n, \r or \r\n, a last line without a terminator still a line; the files in name order; lines
 * the pipeline's parser takes for a header or a blank line skipped, every other one sent as it is
 * and counted malformed if that parser rejects it. A file named .gz without gzip's magic number is
 * read as it is (Beam's rule, the pipeline's too).
 *
 * <p>Random: the seed is printed; {@code -Ddtstream.fuzzSeed=N} repeats a run.
 */
public class HostileFilesTest {
  private static final long SEED = Long.getLong("dtstream.fuzzSeed", System.nanoTime());
  private static final int GOOD_ROWS = 2_000;

  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static LocalKafka kafka;
  private static HostileLines hostile;
  private static Random random;

  /** The readable files' folder, and the lines the injector must send from it, in order. */
  private static Path readable;
  private static final List<String> expected = new ArrayList<>();
  private static long expectedMalformed;
  private static long linesWritten;

  @BeforeClass
  public static void setUp() throws Exception {
    System.out.println("HostileFilesTest seed " + SEED + " (repeat with -Ddtstream.fuzzSeed=" + SEED + ")");
    hostile = new HostileLines(SEED);
    random = hostile.random();
    kafka = LocalKafka.startForTest(TEMP.newFolder("kafka").toPath());
    readable = TEMP.newFolder("readable").toPath();
    writeReadableFiles();
    System.out.printf(
        "HostileFilesTest: %,d lines in %d readable files, %,d to send, %,d of them malformed%n",
        linesWritten, readable.toFile().list().length, expected.size(), expectedMalformed);
  }

  @AfterClass
  public static void stopBroker() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Readable files: everything read is sent and counted.

  @Test
  public void everyLineOfHostileFilesArrivesOnceAndIsCounted() throws Exception {
    assertReplayedExactly("hostile-1", 1);
  }

  @Test
  public void everyLineOfHostileFilesArrivesOnceAndIsCountedWhenPacked() throws Exception {
    assertReplayedExactly("hostile-25", 25);
  }

  private static void assertReplayedExactly(String topic, int rowsPerMessage) throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 4));
    Inject inject = Inject.into(kafka.bootstrapServers(), topic, rowsPerMessage, Long.MAX_VALUE);
    Inject.Report report = withTimeout(() -> inject.replay(readable.toString(), Double.POSITIVE_INFINITY));

    assertEquals("the run failed: " + report.summary(), null, report.failure.get());
    assertThat(
        report.summary(),
        startsWith("rowsRead=" + expected.size() + " rowsSent=" + expected.size() + " malformed=" + expectedMalformed + " "));
    assertArrivedOnceInOrder(topic, expected);
  }

  /** The files, each with lines of known kinds, and the lines to send computed from their bytes. */
  private static void writeReadableFiles() throws IOException {
    write("01-mixed.csv", mixed(50_000), new int[] {0, 0, 0, 1, 2}, true, Codec.NONE);
    List<Line> lastIsARow = mixed(10_000);
    lastIsARow.add(hostile.validRow());
    write("02-no-final-newline.csv", lastIsARow, new int[] {0, 1}, false, Codec.NONE);
    write("03-cr-only.csv", mixed(10_000), new int[] {2}, true, Codec.NONE);
    List<Line> bom = new ArrayList<>();
    bom.add(HostileLines.line("\ufeffHEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS", Kind.SKIPPED));
    bom.addAll(mixed(10_000));
    write("04-bom-crlf.csv", bom, new int[] {1}, true, Codec.NONE);
    write("05-empty.csv", List.of(), new int[] {0}, true, Codec.NONE);
    List<Line> newlines = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      newlines.add(HostileLines.line("", Kind.SKIPPED));
    }
    write("06-only-newlines.csv", newlines, new int[] {0, 1, 2}, true, Codec.NONE);
    List<Line> huge = new ArrayList<>();
    huge.add(hostile.ofBytes(HostileLines.MAX_LINE_BYTES)); // the longest line there may be
    for (int i = 0; i < 30; i++) {
      huge.add(hostile.huge());
      huge.addAll(mixed(random.nextInt(20)));
    }
    huge.add(hostile.ofBytes(HostileLines.MAX_LINE_BYTES - 1));
    write("07-huge-lines.csv", huge, new int[] {0, 1, 2}, random.nextBoolean(), Codec.NONE);
    byte[] noise = new byte[256 * 1024];
    random.nextBytes(noise);
    writeRaw("08-random-bytes.bin", noise, noise);
    List<Line> notGzip = new ArrayList<>();
    notGzip.add(hostile.validRow());
    notGzip.addAll(mixed(5_000));
    write("09-not-gzip.csv.gz", notGzip, new int[] {0, 1}, true, Codec.NONE);
    write("10-members.csv.gz", mixed(10_000), new int[] {0, 1, 2}, true, Codec.GZIP_MEMBERS);
    write("11-mixed.csv.bz2", mixed(5_000), new int[] {0, 1, 2}, false, Codec.BZIP2);
    write("12-mixed.csv.zst", mixed(5_000), new int[] {0, 1, 2}, true, Codec.ZSTD);
    write("13 \u00fcn\u00efc\u00f8d\u00e9 [name].csv", mixed(2_000), new int[] {0}, true, Codec.NONE);
  }

  private static List<Line> mixed(int count) {
    return mixed(hostile, count);
  }

  private static List<Line> mixed(HostileLines hostile, int count) {
    List<Line> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lines.add(hostile.next());
    }
    return lines;
  }

  enum Codec {
    NONE,
    GZIP_MEMBERS,
    BZIP2,
    ZSTD
  }

  private static void write(String name, List<Line> lines, int[] terminators, boolean finalTerminator, Codec codec)
      throws IOException {
    for (Line line : lines) {
      assertKindAsTheParserSaysIt(line);
    }
    byte[] content = hostile.file(lines, terminators, finalTerminator);
    List<String> toSend = linesToSend(content);
    List<String> labelled = lines.stream().filter(line -> line.kind() != Kind.SKIPPED).map(Line::text).toList();
    if (!toSend.equals(labelled)) {
      int at = 0;
      while (at < Math.min(toSend.size(), labelled.size()) && toSend.get(at).equals(labelled.get(at))) {
        at++;
      }
      fail(name + ": the test's own line splitting disagrees with the lines it wrote at line " + at + " to send: "
          + (at < toSend.size() ? describe(toSend.get(at)) : "none") + " written: "
          + (at < labelled.size() ? describe(labelled.get(at)) : "none"));
    }
    writeRaw(name, content, compress(content, codec, random));
    linesWritten += lines.size();
  }

  private static void writeRaw(String name, byte[] content, byte[] onDisk) throws IOException {
    Files.write(readable.resolve(name), onDisk);
    if (name.startsWith("08-")) {
      linesWritten += splitLines(new String(content, UTF_8)).size();
    }
    for (String line : linesToSend(content)) {
      expected.add(line);
      if (RowParser.parse(line) instanceof Malformed) {
        expectedMalformed++;
      }
    }
  }

  private static void assertKindAsTheParserSaysIt(Line line) {
    Object parsed = RowParser.parse(line.text());
    Kind kind = parsed instanceof Skipped ? Kind.SKIPPED : parsed instanceof Malformed ? Kind.MALFORMED : Kind.ROW;
    if (kind != line.kind()) {
      fail("the generator made a " + line.kind() + " line the parser takes for " + parsed + ": " + describe(line.text()));
    }
  }

  /** The lines of a file's (decompressed) bytes that the injector must send, as this test reads the rule. */
  static List<String> linesToSend(byte[] content) {
    return splitLines(new String(content, UTF_8)).stream()
        .filter(line -> !(RowParser.parse(line) instanceof Skipped))
        .toList();
  }

  /** Lines end at \n, \r or \r\n; a last line without a terminator is one too. */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(from, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        from = i + 1;
      }
    }
    if (from < text.length()) {
      lines.add(text.substring(from));
    }
    return lines;
  }

  private static byte[] compress(byte[] content, Codec codec, Random random) throws IOException {
    return switch (codec) {
      case NONE -> content;
      case GZIP_MEMBERS -> {
        // three gzip members, cut anywhere (a line may span two): one gzip file to every reader
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int first = random.nextInt(content.length + 1);
        int second = first + random.nextInt(content.length - first + 1);
        out.writeBytes(gzip(Arrays.copyOfRange(content, 0, first)));
        out.writeBytes(gzip(Arrays.copyOfRange(content, first, second)));
        out.writeBytes(gzip(Arrays.copyOfRange(content, second, content.length)));
        yield out.toByteArray();
      }
      case BZIP2 -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream bzip2 = new BZip2CompressorOutputStream(out)) {
          bzip2.write(content);
        }
        yield out.toByteArray();
      }
      case ZSTD -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream zstd = new ZstdCompressorOutputStream(out)) {
          zstd.write(content);
        }
        yield out.toByteArray();
      }
    };
  }

  static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Unreadable files: a clear error, and the rows before it sent.

  /** What may arrive of the unreadable file's lines before the error. */
  enum Before {
    /** A prefix of its lines, maybe none. */
    PREFIX,
    /** Anything: corruption inside compressed data shows only at a checksum. */
    ANYTHING
  }

  record Corrupt(String name, byte[] onDisk, List<String> intact, Before before, String... jvmOptions) {}

  @Test
  public void corruptOrUnreadableFilesEndTheRunWithOneClearLine() throws Exception {
    HostileLines hostile = new HostileLines(SEED + 1); // the same whichever test runs first
    Random random = hostile.random();
    byte[] content = hostile.file(mixed(hostile, 20_000), new int[] {0, 1, 2}, true);
    List<String> intact = linesToSend(content);
    byte[] gzip = gzip(content);
    byte[] bzip2 = compress(content, Codec.BZIP2, random);
    byte[] zstd = compress(content, Codec.ZSTD, random);
    byte[] garbage = new byte[4096];
    random.nextBytes(garbage);
    garbage[0] = 'x';
    byte[] gzipMagicThenGarbage = garbage.clone();
    gzipMagicThenGarbage[0] = 0x1f;
    gzipMagicThenGarbage[1] = (byte) 0x8b;
    byte[] noLineEnd = new byte[48 << 20];
    Arrays.fill(noLineEnd, (byte) 'x');

    List<Corrupt> cases = List.of(
        new Corrupt("truncated.csv.gz", truncate(gzip, 2, gzip.length - 8, random), intact, Before.PREFIX),
        new Corrupt("truncated-trailer.csv.gz", truncate(gzip, gzip.length - 7, gzip.length - 1, random), intact, Before.PREFIX),
        new Corrupt("flipped.csv.gz", flip(gzip, 10, random), intact, Before.ANYTHING),
        new Corrupt("trailing-garbage.csv.gz", concat(gzip, garbage), intact, Before.PREFIX),
        new Corrupt("garbage-with-gzip-magic.csv.gz", gzipMagicThenGarbage, intact, Before.PREFIX),
        new Corrupt("truncated.csv.bz2", truncate(bzip2, 4, bzip2.length - 1, random), intact, Before.PREFIX),
        new Corrupt("flipped.csv.bz2", flip(bzip2, 4, random), intact, Before.ANYTHING),
        new Corrupt("alone-not-bzip2.csv.bz2", content, intact, Before.PREFIX),
        new Corrupt("truncated.csv.zst", truncate(zstd, 4, zstd.length - 1, random), intact, Before.PREFIX),
        new Corrupt("no-decompressor.csv.lzo", content, intact, Before.PREFIX),
        // 48 MiB without a line end, in a JVM of 64 MiB: no line is read whole into memory
        new Corrupt("no-line-end.txt", noLineEnd, List.of(), Before.PREFIX, "-Xmx64m"));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      try {
        assertOneClearError(hostile, cases.get(i), i, i % 2 == 0 ? 1 : 3);
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + cases.size() + " files not handled right:\n" + String.join("\n", failures));
    }
  }

  /**
   * Replays a folder of a file of {@value #GOOD_ROWS} good lines then the corrupt one (or the
   * corrupt one alone: alone-...) through the real main, and checks the error and what arrived.
   */
  private static void assertOneClearError(HostileLines hostile, Corrupt corrupt, int index, int rowsPerMessage)
      throws Exception {
    Path folder = TEMP.newFolder("corrupt-" + index).toPath();
    List<String> good = new ArrayList<>();
    if (!corrupt.name().startsWith("alone-")) {
      for (int i = 0; i < GOOD_ROWS; i++) {
        good.add(i + "," + hostile.validRow().text()); // tagged, to be told apart whatever else arrives
      }
      Files.writeString(folder.resolve("a-good.csv"), String.join("\n", good) + "\n");
    }
    Path file = folder.resolve("b-" + corrupt.name());
    Files.write(file, corrupt.onDisk());
    String topic = "corrupt-" + index;
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 4));

    long start = System.nanoTime();
    Run run =
        inject(corrupt.jvmOptions(), "--source=" + folder, "--rate=max", "--outputTopic=" + topic, "--progress=log",
            "--rowsPerMessage=" + rowsPerMessage, "--bootstrapServers=" + kafka.bootstrapServers());
    System.out.printf("HostileFilesTest: %s in %.1f s: %s%n", corrupt.name(), (System.nanoTime() - start) / 1e9,
        run.err().isEmpty() ? "" : run.err().get(0));

    String what = corrupt.name() + " (rowsPerMessage=" + rowsPerMessage + "): " + run;
    assertEquals(what, 1, run.exitCode());
    assertEquals(what, 1, run.err().size());
    String error = run.err().get(0);
    assertThat(what, error, startsWith("dtstream inject: "));
    assertThat(what, error, containsString(file.toString()));
    assertTrue(what, run.out().size() > 0);
    Matcher summary =
        Pattern.compile("rowsRead=(\\d+) rowsSent=(\\d+) malformed=(\\d+) .* error=.*").matcher(run.out().get(run.out().size() - 1));
    assertTrue(what, summary.matches());
    long rowsRead = Long.parseLong(summary.group(1));
    long rowsSent = Long.parseLong(summary.group(2));
    assertEquals(what + ": every row read before the error is sent", rowsRead, rowsSent);
    assertThat(what, error, containsString(rowsSent + " rows sent"));
    assertThat(what, rowsSent, greaterThanOrEqualTo((long) good.size()));

    List<String> all = new ArrayList<>(good);
    all.addAll(corrupt.intact());
    if (corrupt.before() == Before.PREFIX) {
      assertThat(what, rowsSent, lessThanOrEqualTo((long) all.size()));
      assertArrivedOnceInOrder(topic, all.subList(0, (int) rowsSent));
    } else {
      Map<Integer, List<String>> arrived = readRows(topic);
      List<String> rows = arrived.values().stream().flatMap(List::stream).toList();
      assertEquals(what, rowsSent, rows.size());
      Map<String, Integer> counts = counts(rows);
      for (String row : good) {
        assertTrue(what + ": lost " + row, counts.getOrDefault(row, 0) == 1);
      }
    }
  }

  private static byte[] truncate(byte[] bytes, int from, int to, Random random) {
    return Arrays.copyOf(bytes, from + random.nextInt(Math.max(1, to - from)));
  }

  /** A few bytes past the header changed (the magic number and header fields stay). */
  private static byte[] flip(byte[] bytes, int header, Random random) {
    byte[] flipped = bytes.clone();
    for (int i = 0; i < 3; i++) {
      int at = header + random.nextInt(flipped.length - header);
      flipped[at] ^= (byte) (1 + random.nextInt(255));
    }
    return flipped;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  record Run(int exitCode, List<String> out, List<String> err) {
    @Override
    public String toString() {
      return "exit " + exitCode + ", stderr " + err.stream().map(HostileLines::describe).toList()
          + ", stdout ends " + out.subList(Math.max(0, out.size() - 2), out.size());
    }
  }

  /** Runs the injector's main in a JVM of its own, as a user would. */
  private static Run inject(String[] jvmOptions, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(Inject.class.getName());
    command.addAll(List.of(args));
    Path out = TEMP.newFile().toPath();
    Path err = TEMP.newFile().toPath();
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("inject hung: " + String.join(" ", args) + "\n" + Files.readString(err));
    }
    return new Run(
        process.exitValue(),
        Files.readAllLines(out, UTF_8),
        Files.readAllLines(err, UTF_8).stream().filter(line -> !line.isBlank()).toList());
  }

  // ---------------------------------------------------------------------------------------------
  // Reading back.

  /** Each line once, byte for byte, and in each partition in the order of the files. */
  private static void assertArrivedOnceInOrder(String topic, List<String> lines) {
    Map<Integer, List<String>> arrived = readRows(topic);
    Map<String, Integer> missing = counts(lines);
    List<String> unexpected = new ArrayList<>();
    long received = 0;
    for (List<String> rows : arrived.values()) {
      for (String row : rows) {
        received++;
        int left = missing.merge(row, -1, Integer::sum);
        if (left < 0) {
          unexpected.add(row);
        }
      }
    }
    List<String> lost = new ArrayList<>();
    missing.forEach((line, count) -> {
      for (int i = 0; i < count; i++) {
        lost.add(line);
      }
    });
    if (!lost.isEmpty() || !unexpected.isEmpty()) {
      fail(String.format(
          "%s: %d rows arrived, %d expected; %d lost, e.g. %s; %d unexpected (extra, twice or changed), e.g. %s",
          topic, received, lines.size(), lost.size(), examples(lost), unexpected.size(), examples(unexpected)));
    }
    arrived.forEach((partition, rows) -> {
      int next = 0;
      for (String row : rows) {
        while (next < lines.size() && !lines.get(next).equals(row)) {
          next++;
        }
        if (next == lines.size()) {
          fail(topic + ": out of order in partition " + partition + " at " + describe(row));
        }
        next++;
      }
    });
  }

  private static Map<String, Integer> counts(List<String> lines) {
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines) {
      counts.merge(line, 1, Integer::sum);
    }
    return counts;
  }

  private static String examples(List<String> lines) {
    return lines.stream().limit(5).map(HostileLines::describe).toList().toString();
  }

  /** The rows of every record of the topic, by partition, split as the injector packs them. */
  private static Map<Integer, List<String>> readRows(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    Map<Integer, List<String>> byPartition = new TreeMap<>();
    Instant deadline = Instant.now().plusSeconds(60);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = Topics.readFromStart(consumer, topic, Duration.ofSeconds(60));
      // The run has ended and every record it counted was acknowledged: all there is is there.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
        assertTrue("could not read " + topic + " back", Instant.now().isBefore(deadline));
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).addAll(List.of(record.value().split("\n", -1)));
        }
      }
    }
    return byPartition;
  }

  private static <T> T withTimeout(java.util.concurrent.Callable<T> task) throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<T> result = executor.submit(task);
      try {
        return result.get(120, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the replay hung");
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
