package io.dtstream.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Alarms with a lifecycle, so that they neither flicker nor get lost: a quality test that fails in
 * {@code fireWindows} consecutive judged windows fires its alarm once; {@code clearWindows}
 * consecutive passing ones resolve it once. A window in which a test could not be judged (too few
 * entries) leaves its counts as they were, so thin statistics never fire an alarm. Windows are
 * judged in the order of their start; one that comes again (a late pane) is not judged twice.
 * Thread-safe.
 */
final class AlarmJournal {
  /** One test's verdict in one window. {@code layer} and {@code channel} are null where they do not apply. */
  record Verdict(String kind, int chamber, Integer layer, Integer channel, boolean failing, String message) {
    String id() {
      return kind + "/" + chamber + (layer == null ? "" : "/L" + layer) + (channel == null ? "" : "/" + channel);
    }
  }

  /** An alarm as {@code /api/alarms} returns it; {@code until} is set once it is resolved. */
  record Alarm(String id, String kind, int chamber, Integer layer, Integer channel, String state, String since,
      String until, String message) {}

  private static final class Count {
    int failing;
    int passing;
    Alarm firing;
  }

  private final int fireWindows;
  private final int clearWindows;
  private final int maxResolved;
  private final Consumer<Alarm> onTransition;
  private final Map<String, Count> counts = new HashMap<>();
  /** Firing alarms by id, and resolved ones, oldest first, at most {@code maxResolved}. */
  private final Map<String, Alarm> firing = new LinkedHashMap<>();
  private final List<Alarm> resolved = new ArrayList<>();
  private Instant lastJudged;

  AlarmJournal(int fireWindows, int clearWindows, int maxResolved) {
    this(fireWindows, clearWindows, maxResolved, alarm -> {});
  }

  /** @param onTransition told of every alarm fired or resolved (the alarm topic), in order */
  AlarmJournal(int fireWindows, int clearWindows, int maxResolved, Consumer<Alarm> onTransition) {
    if (fireWindows < 1 || clearWindows < 1 || maxResolved < 0) {
      throw new IllegalArgumentException("alarm windows must be at least 1");
    }
    this.fireWindows = fireWindows;
    this.clearWindows = clearWindows;
    this.maxResolved = maxResolved;
    this.onTransition = onTransition;
  }

  /**
   * Goes on from transitions published before (the alarm topic, oldest first): their alarms are
   * firing or resolved as published, and windows up to the last of them are not judged again, so
   * a restarted dashboard re-reading its windows publishes nothing twice. The counts of tests
   * that had not yet fired start afresh.
   */
  synchronized void restore(List<Alarm> published) {
    for (Alarm alarm : published) {
      Count count = counts.computeIfAbsent(alarm.id(), id -> new Count());
      Instant at;
      if ("firing".equals(alarm.state())) {
        fire(count, alarm);
        count.failing = fireWindows;
        at = Instant.parse(alarm.since());
      } else {
        resolve(count, alarm);
        count.passing = clearWindows;
        at = Instant.parse(alarm.until());
      }
      lastJudged = lastJudged == null || at.isAfter(lastJudged) ? at : lastJudged;
    }
  }

  /**
   * Judges the window that starts at {@code start} with the verdicts of the tests it could judge;
   * returns the alarms it fired or resolved, in that state. A window not after the last judged
   * one changes nothing.
   */
  synchronized List<Alarm> judge(Instant start, Collection<Verdict> verdicts) {
    if (lastJudged != null && !start.isAfter(lastJudged)) {
      return List.of();
    }
    lastJudged = start;
    List<Alarm> transitions = new ArrayList<>();
    for (Verdict verdict : verdicts) {
      Count count = counts.computeIfAbsent(verdict.id(), id -> new Count());
      if (verdict.failing()) {
        count.failing++;
        count.passing = 0;
        if (count.firing == null && count.failing >= fireWindows) {
          transitions.add(fire(count, new Alarm(verdict.id(), verdict.kind(), verdict.chamber(), verdict.layer(),
              verdict.channel(), "firing", start.toString(), null, verdict.message())));
        }
      } else {
        count.passing++;
        count.failing = 0;
        if (count.firing != null && count.passing >= clearWindows) {
          Alarm fired = count.firing;
          transitions.add(resolve(count, new Alarm(fired.id(), fired.kind(), fired.chamber(), fired.layer(),
              fired.channel(), "resolved", fired.since(), start.toString(), fired.message())));
        }
      }
    }
    transitions.forEach(onTransition);
    return transitions;
  }

  private Alarm fire(Count count, Alarm alarm) {
    count.firing = alarm;
    count.passing = 0;
    firing.put(alarm.id(), alarm);
    return alarm;
  }

  private Alarm resolve(Count count, Alarm alarm) {
    count.firing = null;
    count.failing = 0;
    firing.remove(alarm.id());
    resolved.add(alarm);
    if (resolved.size() > maxResolved) {
      resolved.remove(0);
    }
    return alarm;
  }

  /** Firing alarms first (oldest first), then the resolved ones, newest first. */
  synchronized List<Alarm> journal() {
    List<Alarm> journal = new ArrayList<>(firing.values());
    for (int i = resolved.size() - 1; i >= 0; i--) {
      journal.add(resolved.get(i));
    }
    return journal;
  }

  /** How many alarms of {@code kind} fire now. */
  synchronized int firing(String kind) {
    return (int) firing.values().stream().filter(a -> a.kind().equals(kind)).count();
  }

  /** How many alarms fire in each of the chambers 0 to {@code chambers - 1}: the header's traffic lights. */
  synchronized List<Integer> firingPerChamber(int chambers) {
    List<Integer> counts = new ArrayList<>();
    for (int c = 0; c < chambers; c++) {
      int chamber = c;
      counts.add((int) firing.values().stream().filter(a -> a.chamber() == chamber).count());
    }
    return counts;
  }
}
