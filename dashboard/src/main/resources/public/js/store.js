// The windows the page holds, ordered by start and bounded in number, and the sums the page shows.
// No DOM here.

// The chamber cards are laid out before the first window arrives: the contract's Chambers.COUNT.
export const CHAMBERS = 4;

/** Windows keyed by start: a window that arrives again replaces the one held. */
export class WindowStore {
  constructor(maxWindows) {
    this.maxWindows = maxWindows;
    this.windows = []; // LiveWindow objects of the server, ordered by results.start
  }

  /** Adds or replaces one window; returns whether it is now held. */
  add(liveWindow) {
    const start = startMillis(liveWindow);
    const index = this.indexOf(start);
    if (index < this.windows.length && startMillis(this.windows[index]) === start) {
      this.windows[index] = liveWindow;
      return true;
    }
    if (this.windows.length >= this.maxWindows && index === 0) {
      return false; // older than everything held, and no room
    }
    this.windows.splice(index, 0, liveWindow);
    if (this.windows.length > this.maxWindows) {
      this.windows.splice(0, this.windows.length - this.maxWindows);
    }
    return true;
  }

  latest() {
    return this.windows.length ? this.windows[this.windows.length - 1] : null;
  }

  oldest() {
    return this.windows.length ? this.windows[0] : null;
  }

  /** The windows that start at or after `millis` (all of them for null). */
  since(millis) {
    return millis == null ? this.windows : this.windows.slice(this.indexOf(millis));
  }

  /** Binary search: the first index whose window starts at or after `start`. */
  indexOf(start) {
    let low = 0;
    let high = this.windows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (startMillis(this.windows[middle]) < start) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

export function startMillis(liveWindow) {
  return Date.parse(liveWindow.results.start);
}

export function endMillis(liveWindow) {
  return Date.parse(liveWindow.results.end);
}

/**
 * The results of several windows added up, in the shape of one window's results; `template` (one
 * window's results, held even when `liveWindows` is empty) gives the bins and their edges.
 */
export function sumResults(liveWindows, template) {
  const zeros = (values) => new Array(values.length).fill(0);
  const sum = {
    counts: Object.fromEntries(Object.keys(template.counts).map((key) => [key, 0])),
    binEdges: template.binEdges,
    chambers: template.chambers.map((chamber) => ({
      chamber: chamber.chamber,
      hits: 0,
      occupancy: zeros(chamber.occupancy),
      activeChannelsPerOrbit: zeros(chamber.activeChannelsPerOrbit),
      scintillatorOccupancy: zeros(chamber.scintillatorOccupancy),
      driftTime: zeros(chamber.driftTime),
      driftTimeUnderflow: 0,
      driftTimeOverflow: 0,
    })),
  };
  for (const { results } of liveWindows) {
    for (const key of Object.keys(sum.counts)) sum.counts[key] += results.counts[key];
    results.chambers.forEach((chamber, c) => {
      const total = sum.chambers[c];
      total.hits += chamber.hits;
      addInto(total.occupancy, chamber.occupancy);
      addInto(total.activeChannelsPerOrbit, chamber.activeChannelsPerOrbit);
      addInto(total.scintillatorOccupancy, chamber.scintillatorOccupancy);
      addInto(total.driftTime, chamber.driftTime);
      total.driftTimeUnderflow += chamber.driftTimeUnderflow;
      total.driftTimeOverflow += chamber.driftTimeOverflow;
    });
  }
  return sum;
}

// The server reads one schema version, whose bins are fixed: every window has the template's.
function addInto(total, values) {
  for (let i = 0; i < total.length; i++) total[i] += values[i];
}

/**
 * The seconds the windows cover: the sum of their durations (end minus start), not the first
 * start to the last end, which would count the gaps where windows are missing.
 */
export function durationSeconds(liveWindows) {
  return liveWindows.reduce((seconds, w) => seconds + (endMillis(w) - startMillis(w)) / 1000, 0);
}

/** A count per second over `seconds`; null without a duration (a sum of no windows). */
export function perSecond(count, seconds) {
  return seconds > 0 ? count / seconds : null;
}

/** A chamber's noise: its hits in orbits without a scintillator hit (all its hits minus those with one). */
export function noiseHits(chamber) {
  return chamber.hits - chamber.scintillatorOccupancy.reduce((sum, hits) => sum + hits, 0);
}
