package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/** Guards for the page's sources, which no browser test would catch on its own. */
public class PageSourceTest {
  private static final Path PUBLIC = Path.of(System.getProperty("basedir", "."), "src", "main", "resources", "public");

  /** Strings from the data go in with textContent; nothing is ever parsed as HTML. */
  @Test
  public void noScriptWritesHtml() throws IOException {
    Pattern htmlSinks = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\.html\\(");
    List<Path> scripts = files(".js");
    assertTrue("no scripts found under " + PUBLIC, scripts.size() >= 4);
    for (Path script : scripts) {
      assertEquals(script + " writes HTML", false, htmlSinks.matcher(Files.readString(script)).find());
    }
  }

  /** Everything the page loads comes from this server: it must work without internet. */
  @Test
  public void thePageLoadsNothingFromElsewhere() throws IOException {
    Pattern external = Pattern.compile("(src|href)=\"(https?:)?//|import .* from '(https?:)?//");
    for (Path file : files("")) {
      assertEquals(file + " loads from another host", false, external.matcher(Files.readString(file)).find());
    }
  }

  private static List<Path> files(String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(PUBLIC)) {
      return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }
}
