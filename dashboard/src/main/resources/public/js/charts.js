// Chart.js charts, created once and updated in place (new data, update('none')): no animation,
// no flicker, no chart rebuilt per window.

/* global Chart */

export const CHAMBER_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'];
const TOTAL_COLOR = '#333333';
const NOISY_COLOR = '#d62728';
const DEAD_COLOR = 'rgba(214, 39, 40, 0.35)';

Chart.defaults.animation = false;
Chart.defaults.font.size = 11;
Chart.defaults.maintainAspectRatio = false;

const timeOfDay = (millis) => new Date(millis).toISOString().substring(11, 19);

/** Total and per-chamber hits against window start (UTC). */
export function seriesChart(canvas) {
  const line = (label, color, width) => ({
    label, data: [], borderColor: color, backgroundColor: color, borderWidth: width, pointRadius: 0, tension: 0,
  });
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        line('total', TOTAL_COLOR, 2),
        ...CHAMBER_COLORS.map((color, c) => line(`chamber ${c}`, color, 1.5)),
      ],
    },
    options: {
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', ticks: { callback: timeOfDay, maxTicksLimit: 8 }, title: { display: true, text: 'window start (UTC)' } },
        y: { beginAtZero: true, title: { display: true, text: 'hits' } },
      },
      plugins: { tooltip: { callbacks: { title: (items) => timeOfDay(items[0].parsed.x) } } },
    },
  });
}

/** Shows `liveWindows` (ordered by start) in the series chart; a run's pause breaks the lines. */
export function updateSeries(chart, liveWindows) {
  const [total, ...chambers] = chart.data.datasets;
  total.data = withGaps(liveWindows, (w) => w.results.counts.hits);
  chambers.forEach((dataset, c) => {
    dataset.data = withGaps(liveWindows, (w) => w.results.chambers[c].hits);
  });
  chart.update('none');
}

/** One point per window, and an empty one where windows are missing, so no line spans the gap. */
function withGaps(liveWindows, value) {
  const points = [];
  let previousEnd = null;
  for (const w of liveWindows) {
    const start = Date.parse(w.results.start);
    if (previousEnd !== null && start > previousEnd) points.push({ x: previousEnd, y: null });
    points.push({ x: start, y: value(w) });
    previousEnd = Date.parse(w.results.end);
  }
  return points;
}

// Empty until the first window: its bin edges give the labels (see setBins).
function histogram(canvas, color, xTitle, yScale = { beginAtZero: true }) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [{ data: [], backgroundColor: color, barPercentage: 1, categoryPercentage: 1 }] },
    options: {
      plugins: { legend: { display: false } },
      scales: {
        x: { ticks: { maxTicksLimit: 9, maxRotation: 0 }, title: { display: true, text: xTitle } },
        y: yScale,
      },
    },
  });
}

/** The four histograms of one chamber. */
export function chamberCharts(card, chamber) {
  const color = CHAMBER_COLORS[chamber];
  const canvas = (plot) => card.querySelector(`canvas[data-plot="${plot}"]`);
  return {
    occupancy: histogram(canvas('occupancy'), color, 'channel'),
    // Logarithmic: noise puts most orbits at 1 channel, muons make their peak at 3-4 far lower.
    active: histogram(canvas('active'), color, 'active channels', { type: 'logarithmic', min: 1 }),
    scintillator: histogram(canvas('scintillator'), color, 'channel'),
    drift: histogram(canvas('drift'), color, 'ns (bin start)'),
  };
}

/**
 * Labels a chart's bars with the lower edges of the message's bins (bin k is [edges[k],
 * edges[k + 1])), replaced only when they change so an unchanged axis is left alone.
 */
function setBins(chart, edges) {
  const labels = edges.slice(0, -1);
  const current = chart.data.labels;
  if (current.length !== labels.length || current.some((label, i) => label !== labels[i])) chart.data.labels = labels;
}

/**
 * Shows one chamber's results; noisy channels are drawn red, dead ones as a pale red bar at the
 * chamber's median level (where a live channel would be).
 */
export function updateChamber(charts, results, binEdges, alarms, chamber) {
  const noisy = new Set(alarms.noisy.filter((a) => a.chamber === chamber).map((a) => a.channel));
  const dead = new Set(alarms.dead.filter((a) => a.chamber === chamber).map((a) => a.channel));
  const color = CHAMBER_COLORS[chamber];
  setBins(charts.occupancy, binEdges.occupancy);
  setBins(charts.active, binEdges.activeChannelsPerOrbit);
  setBins(charts.scintillator, binEdges.scintillatorOccupancy);
  setBins(charts.drift, binEdges.driftTime);
  const occupancy = charts.occupancy.data.datasets[0];
  occupancy.data = results.occupancy.slice();
  // Bar k is channel k (the occupancy's bins are the channels).
  occupancy.backgroundColor = occupancy.data.map((_, ch) => (noisy.has(ch) ? NOISY_COLOR : dead.has(ch) ? DEAD_COLOR : color));
  if (dead.size) {
    const median = medianOf(results.occupancy);
    for (const ch of dead) occupancy.data[ch] = Math.max(occupancy.data[ch], median);
  }
  charts.active.data.datasets[0].data = results.activeChannelsPerOrbit;
  charts.scintillator.data.datasets[0].data = results.scintillatorOccupancy;
  charts.drift.data.datasets[0].data = results.driftTime;
  for (const chart of Object.values(charts)) chart.update('none');
}

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
