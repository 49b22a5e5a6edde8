package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** The alarms' lifecycle: k failing windows fire once, m good ones resolve once, thin statistics do nothing. */
public class AlarmJournalTest {
  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
  private final AlarmJournal journal = new AlarmJournal(3, 2, 10);
  private int window;

  private static AlarmJournal.Verdict t0(int chamber, boolean failing) {
    return new AlarmJournal.Verdict("t0", chamber, null, null, failing, "chamber " + chamber + ": t0");
  }

  private List<AlarmJournal.Alarm> judge(AlarmJournal.Verdict... verdicts) {
    return journal.judge(T.plusSeconds(5L * window++), List.of(verdicts));
  }

  @Test
  public void kMinusOneFailingWindowsFireNothingAndKFireOnce() {
    assertEquals(List.of(), judge(t0(2, true)));
    assertEquals(List.of(), judge(t0(2, true)));
    List<AlarmJournal.Alarm> fired = judge(t0(2, true));
    assertEquals(1, fired.size());
    assertEquals("t0/2", fired.get(0).id());
    assertEquals("firing", fired.get(0).state());
    assertEquals(T.plusSeconds(10).toString(), fired.get(0).since());
    assertEquals(List.of(), judge(t0(2, true))); // still firing: no second transition
    assertEquals(List.of(fired.get(0)), journal.journal());
  }

  @Test
  public void aGoodWindowBetweenFailingOnesStartsTheCountAgain() {
    judge(t0(0, true));
    judge(t0(0, true));
    judge(t0(0, false));
    assertEquals(List.of(), judge(t0(0, true)));
    assertEquals(List.of(), judge(t0(0, true)));
    assertEquals(1, judge(t0(0, true)).size());
  }

  @Test
  public void mGoodWindowsResolveOnceAndTheJournalKeepsIt() {
    for (int i = 0; i < 3; i++) {
      judge(t0(1, true));
    }
    assertEquals(List.of(), judge(t0(1, false)));
    List<AlarmJournal.Alarm> resolved = judge(t0(1, false));
    assertEquals(1, resolved.size());
    assertEquals("resolved", resolved.get(0).state());
    assertEquals(T.plusSeconds(10).toString(), resolved.get(0).since());
    assertEquals(T.plusSeconds(20).toString(), resolved.get(0).until());
    assertEquals(List.of(), judge(t0(1, false)));
    assertEquals(resolved, journal.journal());
  }

  @Test
  public void windowsThatCannotJudgeATestLeaveItsCountAlone() {
    judge(t0(3, true));
    judge(t0(3, true));
    for (int i = 0; i < 5; i++) {
      assertEquals(List.of(), judge()); // too few entries: no verdict at all
    }
    assertEquals(1, judge(t0(3, true)).size());
  }

  @Test
  public void aWindowThatComesAgainOrLateIsNotJudgedTwice() {
    Instant start = T.plusSeconds(100);
    journal.judge(start, List.of(t0(0, true)));
    journal.judge(start, List.of(t0(0, true)));
    journal.judge(start.minusSeconds(5), List.of(t0(0, true)));
    // so far one judged failing window, not three
    assertEquals(List.of(), journal.judge(start.plusSeconds(5), List.of(t0(0, true))));
    assertEquals(List.of(), journal.journal());
    assertEquals(1, journal.judge(start.plusSeconds(10), List.of(t0(0, true))).size());
  }

  @Test
  public void alarmsOfOneKindAreKeptApartByChamberLayerAndChannel() {
    List<AlarmJournal.Verdict> verdicts = new ArrayList<>();
    verdicts.add(new AlarmJournal.Verdict("efficiency", 1, 3, null, true, "layer 3"));
    verdicts.add(new AlarmJournal.Verdict("efficiency", 1, 2, null, false, "layer 2"));
    verdicts.add(new AlarmJournal.Verdict("dead", 0, null, 17, true, "channel 17"));
    for (int i = 0; i < 2; i++) {
      journal.judge(T.plusSeconds(i), verdicts);
    }
    List<String> fired = journal.judge(T.plusSeconds(2), verdicts).stream().map(AlarmJournal.Alarm::id).toList();
    assertEquals(List.of("efficiency/1/L3", "dead/0/17"), fired);
  }
}
