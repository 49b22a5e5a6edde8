// The quality view: each chamber's time box with its fitted edges, the fitted values, and the
// trend of t0 and Tmax. The fits are the server's (GET /api/quality, the library analyze
// --summary uses); the page only draws them.

/* global Chart */

import { CHAMBER_COLORS } from './charts.js';

const FIT_COLOR = '#d62728';
const REFERENCE_COLOR = '#555555';
const timeOfDay = (millis) => new Date(millis).toISOString().substring(11, 19);

/** The fine drift-time histogram, with the fitted curve over it. */
export function timeBoxChart(canvas, chamber) {
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: [],
      datasets: [
        { data: [], backgroundColor: CHAMBER_COLORS[chamber], barPercentage: 1, categoryPercentage: 1, order: 2 },
        { type: 'line', data: [], borderColor: FIT_COLOR, borderWidth: 1.5, pointRadius: 0, tension: 0, order: 1 },
        referenceDataset(),
      ],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { maxTicksLimit: 7, maxRotation: 0 }, title: { display: true, text: 'ns (bin start)' } }, y: { min: 0 } },
    },
  });
}

export function updateTimeBox(chart, result) {
  const box = result.driftTimeFine;
  chart.data.labels = box ? box.binEdges.slice(0, -1) : [];
  chart.data.datasets[0].data = box ? box.counts : [];
  chart.data.datasets[1].data = result.fitted ?? [];
  chart.data.datasets[2].data = result.reference?.driftTimeFine ?? [];
  chart.update('none');
}

/** The reference run's histogram, normalised to what is shown: a dashed grey line over the bars. */
function referenceDataset() {
  return { type: 'line', label: 'reference', data: [], borderColor: REFERENCE_COLOR, borderWidth: 1, borderDash: [3, 2], pointRadius: 0, stepped: 'middle', order: 0 };
}

/**
 * Draws the reference's occupancy over a chamber's occupancy chart, scaled to the hits shown
 * (`shares` are the reference's fractions per channel; null without a reference).
 */
export function overlayReference(chart, shares, shownCounts) {
  if (chart.data.datasets.length < 2) chart.data.datasets.push(referenceDataset());
  const total = shownCounts.reduce((a, b) => a + b, 0);
  chart.data.datasets[1].data = shares ? shares.map((share) => share * total) : [];
  chart.update('none');
}

const p = (value) => (value >= 0.01 ? value.toFixed(2) : value.toExponential(0));

/** One line of the comparisons with the reference run, and the worst status of them (null without one). */
export function comparisonLine(reference) {
  if (!reference) return { text: '', status: null };
  const order = ['insufficient', 'ok', 'warning', 'error'];
  let worst = 'insufficient';
  const parts = reference.comparisons.map((c) => {
    if (order.indexOf(c.status) > order.indexOf(worst)) worst = c.status;
    return c.status === 'insufficient'
      ? `${c.histogram} – (${c.entries.toLocaleString('en-US')} entries)`
      : `${c.histogram} ${c.status} (χ²/ndf ${c.chi2PerNdf.toFixed(2)}, p ${p(c.chi2P)}; KS p ${p(c.ksP)})`;
  });
  return { text: `vs reference: ${parts.join(' · ')}`, status: worst };
}

const ns = (value, error) => (value == null ? '–' : `${value.toFixed(1)} ± ${error.toFixed(1)} ns`);

/** One line of fitted values, and one of layer efficiencies. */
export function qualityLines(quality) {
  const box = quality.timeBox;
  const timing = box.status === 'ok'
    ? `t0 ${ns(box.t0Ns, box.t0ErrorNs)} · Tmax ${ns(box.tMaxNs, box.tMaxErrorNs)} · v ${box.driftVelocityUmPerNs.toFixed(1)} µm/ns`
    : `time box: ${box.status} (${box.entries.toLocaleString('en-US')} entries)`;
  const meanTimer = quality.meanTimer.status === 'ok'
    ? ` · meantimer ${quality.meanTimer.peakNs.toFixed(1)} ns`
    : '';
  const resolution = quality.resolutionUm == null ? '' : ` · resolution ${Math.round(quality.resolutionUm)} µm`;
  const layers = quality.layerEfficiency
    .map((l) => `L${l.layer} ${l.efficiency == null ? '–' : `${(100 * l.efficiency).toFixed(1)} %`}`)
    .join(' · ');
  return { timing: timing + meanTimer + resolution, efficiency: `efficiency ${layers}` };
}

/** t0 (solid, left axis) and Tmax (dashed, right axis) of each chamber's rolling fit, per window. */
export function trendChart(canvas) {
  const line = (label, color, axis, dash) => ({
    label, data: [], yAxisID: axis, borderColor: color, backgroundColor: color, borderWidth: 1.5, borderDash: dash, pointRadius: 0, spanGaps: false,
  });
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        ...CHAMBER_COLORS.map((color, c) => line(`t0 ch ${c}`, color, 'y', [])),
        ...CHAMBER_COLORS.map((color, c) => line(`Tmax ch ${c}`, color, 'y1', [4, 3])),
      ],
    },
    options: {
      parsing: false,
      normalized: true,
      scales: {
        x: { type: 'linear', ticks: { callback: timeOfDay, maxTicksLimit: 8 }, title: { display: true, text: 'window start (UTC)' } },
        y: { position: 'left', title: { display: true, text: 't0 (ns)' } },
        y1: { position: 'right', title: { display: true, text: 'Tmax (ns)' }, grid: { drawOnChartArea: false } },
      },
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => timeOfDay(items[0].parsed.x) } } },
    },
  });
}

export function updateTrend(chart, trend) {
  chart.data.datasets.forEach((dataset, i) => {
    const chamber = i % CHAMBER_COLORS.length;
    const key = i < CHAMBER_COLORS.length ? 't0Ns' : 'tMaxNs';
    dataset.data = trend.map((point) => ({ x: Date.parse(point.start), y: point[key][chamber] }));
  });
  chart.update('none');
}
