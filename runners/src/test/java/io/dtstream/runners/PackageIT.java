package io.dtstream.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.dtstream.contract.results.ResultMessage;
import io.dtstream.local.LocalKafka;
import io.dtstream.pipeline.testing.EndToEnd;
import io.dtstream.testing.Comparisons;
import io.dtstream.testing.ReferenceCount;
import io.dtstream.testing.RowGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The installable package ({@code runners/target/dtstream-<version>.tar.gz}) unpacked into a
 * temporary folder runs on Java alone: every classpath it lists stays inside it and is the one its
 * module was built with, and its {@code bin/dtstream} runs {@code --version}, {@code analyze},
 * {@code kafka start|status|stop} and the streaming pipeline on the DirectRunner end to end, with
 * Maven out of reach (a {@code mvn} first on the PATH that fails and leaves a mark) and a HOME
 * without a local repository.
 */
public class PackageIT {
  /** This module's folder (the tests' working directory) and the source checkout above it. */
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path CHECKOUT = MODULE.getParent();

  @Rule public final TemporaryFolder temp = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(300);

  private Path home;
  private Path work;
  private Path mavenCalled;

  private record Run(int code, List<String> out, String err) {}

  @Test
  public void theUnpackedPackageRunsWithoutMaven() throws Exception {
    home = unpack();
    work = temp.newFolder("work").toPath();
    mavenCalled = temp.getRoot().toPath().resolve("mvn-was-called");
    assertClasspathsStayInsideAndMatchTheBuild();

    Run version = run("--version");
    assertEquals(version.toString(), 0, version.code());
    assertThat(version.out().get(0), matchesPattern("dtstream " + version() + "( \\(.*\\))?"));

    List<String> lines = RowGenerator.generate(11, 5_000, 12);
    Path rows = temp.newFile("rows.csv").toPath();
    Files.write(rows, lines, StandardCharsets.UTF_8);
    Run analyzed = run("analyze", "--input=" + rows, "--timeDomain=detector", "--summary");
    assertEquals(analyzed.toString(), 0, analyzed.code());
    assertEquals(analyzed.toString(), 1, analyzed.out().size());
    Comparisons.assertMatches(
        ReferenceCount.of(lines, 5_000).total, ResultMessage.fromJson(analyzed.out().get(0)), true);

    int[] ports = LocalKafka.freePorts(2);
    Run started = run("kafka", "start", "--port=" + ports[0], "--controllerPort=" + ports[1]);
    Optional<LocalKafka> broker = LocalKafka.running(work.resolve("kafka"));
    try {
      assertEquals(started.toString(), 0, started.code());
      Run status = run("kafka", "status");
      assertEquals(status.toString(), 0, status.code());
      assertThat(status.out().get(0), matchesPattern("running: bootstrapServers=127\\.0\\.0\\.1:" + ports[0] + " .*"));
      LocalKafka kafka = broker.orElseThrow();
      assertClasspathInside(ProcessHandle.of(kafka.pid()).orElseThrow(), "the broker");
      EndToEnd.runAndCompareLaunched(kafka, this::pipeline, "--runner=DirectRunner");
      Run stopped = run("kafka", "stop");
      assertEquals(stopped.toString(), 0, stopped.code());
      assertEquals(stopped.toString(), List.of("stopped"), stopped.out());
    } finally {
      broker.flatMap(kafka -> ProcessHandle.of(kafka.pid())).ifPresent(ProcessHandle::destroyForcibly);
    }
    assertFalse("the launcher called mvn", Files.exists(mavenCalled));
  }

  /** {@code bin/dtstream pipeline ...} from the package; closing it stops the pipeline. */
  private AutoCloseable pipeline(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/dtstream").toString(), "pipeline"));
    command.addAll(args);
    Path log = temp.newFile().toPath();
    Process pipeline = environment(new ProcessBuilder(command))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return () -> {
      try {
        assertTrue("the pipeline exited early: " + Files.readString(log), pipeline.isAlive());
        // the launcher execs java: this is the pipeline's JVM
        assertClasspathInside(pipeline.toHandle(), "the pipeline");
      } finally {
        pipeline.destroy();
        if (!pipeline.waitFor(20, TimeUnit.SECONDS)) {
          pipeline.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    };
  }

  /** The package, unpacked: its one top folder, {@code dtstream-<version>}. */
  private Path unpack() throws Exception {
    Path tarball = MODULE.resolve("target/dtstream-" + version() + ".tar.gz");
    assertTrue("missing " + tarball + " (mvn package makes it)", Files.isRegularFile(tarball));
    Path into = temp.newFolder("install").toPath();
    Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", into.toString())
        .inheritIO().start();
    assertTrue("tar did not end", tar.waitFor(2, TimeUnit.MINUTES));
    assertEquals("tar's exit code", 0, tar.exitValue());
    Path top = into.resolve("dtstream-" + version());
    assertTrue(Files.isExecutable(top.resolve("bin/dtstream")));
    return top;
  }

  /**
   * Every classpath of the package names jars inside it, by relative paths; and each is exactly
   * its module's classpath in the build (the module's jar, then the same dependencies, in the same
   * order, byte for byte), so no two jars collided on a name and no runner's classpath took
   * another's jars.
   */
  private void assertClasspathsStayInsideAndMatchTheBuild() throws IOException {
    Path lib = home.resolve("lib");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(lib.resolve("classpath"))) {
      files = walk.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
    }
    assertEquals(
        "the runnable modules' classpaths",
        List.of("dashboard", "injector", "pipeline/contract", "runners", "runners/direct", "runners/flink",
            "runners/kafka-broker", "runners/spark"),
        files.stream().map(f -> lib.resolve("classpath").relativize(f).toString().replaceFirst("\\.txt$", "")).toList());
    for (Path file : files) {
      String module = lib.resolve("classpath").relativize(file).toString().replaceFirst("\\.txt$", "");
      List<String> entries = List.of(Files.readString(file).trim().split(":"));
      for (String entry : entries) {
        assertFalse(module + ": " + entry, entry.startsWith("/") || entry.contains("..") || entry.contains(".m2"));
        Path jar = lib.resolve(entry).normalize();
        assertTrue(module + ": " + entry, jar.startsWith(lib) && Files.isRegularFile(jar));
      }
      List<String> built = List.of(Files.readString(CHECKOUT.resolve(module).resolve("target/classpath.txt")).trim().split(":"));
      assertEquals(module + ": its jar, then its dependencies", built.size() + 1, entries.size());
      assertThat(module, entries.get(0), matchesPattern("jars/io\\.dtstream\\.dtstream-[a-z-]+-" + Pattern.quote(version()) + "\\.jar"));
      Path moduleJar = CHECKOUT.resolve(module).resolve("target").resolve(entries.get(0).substring("jars/io.dtstream.".length()));
      assertEquals(module + ": its jar", -1, Files.mismatch(moduleJar, lib.resolve(entries.get(0))));
      for (int i = 0; i < built.size(); i++) {
        Path source = Path.of(built.get(i));
        Path packaged = lib.resolve(entries.get(i + 1));
        assertTrue(module + ": " + packaged + " is " + source, packaged.getFileName().toString().endsWith("." + source.getFileName()));
        assertEquals(module + ": " + packaged + " is " + source, -1, Files.mismatch(source, packaged));
      }
    }
  }

  /**
   * The JVM's {@code -cp} names only files of the package (read from /proc: ProcessHandle.Info
   * cuts long command lines short).
   */
  private void assertClasspathInside(ProcessHandle process, String what) throws IOException {
    String cmdline = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
    List<String> arguments = List.of(cmdline.split("\0"));
    int cp = arguments.indexOf("-cp");
    assertTrue(what + ": " + arguments, cp >= 0);
    for (String entry : arguments.get(cp + 1).split(":")) {
      assertTrue(what + ": " + entry, Path.of(entry).normalize().startsWith(home));
    }
  }

  private Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/dtstream").toString()));
    command.addAll(List.of(args));
    Path out = temp.newFile().toPath();
    Path err = temp.newFile().toPath();
    Process process = environment(new ProcessBuilder(command))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("dtstream " + String.join(" ", args) + " did not end");
    }
    return new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err));
  }

  /**
   * What a machine with only Java has: java and the system's tools on the PATH, after a {@code
   * mvn} that fails and leaves a mark; a HOME (and the JVMs' user.home) without ~/.m2; no
   * settings of Maven or of this build.
   */
  private ProcessBuilder environment(ProcessBuilder builder) throws IOException {
    Path bin = temp.getRoot().toPath().resolve("fake-bin");
    Path userHome = temp.getRoot().toPath().resolve("home");
    if (!Files.exists(bin)) {
      Files.createDirectories(bin);
      Files.createDirectories(userHome);
      Path mvn = bin.resolve("mvn");
      Files.writeString(mvn, "#!/bin/sh\ntouch '" + mavenCalled + "'\necho 'mvn must not be called' >&2\nexit 99\n");
      assertTrue(mvn.toFile().setExecutable(true));
    }
    var environment = builder.environment();
    environment.keySet().removeIf(name ->
        name.startsWith("DTSTREAM_") || name.startsWith("MAVEN_") || name.equals("M2_HOME")
            || name.equals("CLASSPATH") || name.equals("JAVA_OPTS"));
    environment.put("PATH", bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
    environment.put("HOME", userHome.toString());
    environment.put("JAVA_OPTS", "-Duser.home=" + userHome);
    environment.put("DTSTREAM_WORK", work.toString());
    return builder;
  }

  /** The project's version, as the build gave it to this test. */
  private static String version() {
    return System.getProperty("dtstream.version");
  }
}
