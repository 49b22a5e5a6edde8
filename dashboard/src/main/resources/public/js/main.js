// The dashboard page: holds the windows the server sends, shows the latest window or the sum since
// a chosen start, and the server's run status. Text from the data goes in with textContent only.

import { connectLive } from './live.js';
import { CHAMBERS, WindowStore, durationSeconds, endMillis, noiseHits, perSecond, startMillis, sumResults } from './store.js';
import { chamberCharts, seriesChart, updateChamber, updateSeries } from './charts.js';
import { cellMap, hz, updateCellMap } from './cells.js';
import { comparisonLine, overlayReference, qualityLines, timeBoxChart, trendChart, updateTimeBox, updateTrend } from './quality.js';
import { histogramsCsv, rootJson } from './export.js';

// One hour of 5 s windows, or 12 minutes of 1 s windows: bounds the page's memory and work.
const MAX_WINDOWS = 720;

const store = new WindowStore(MAX_WINDOWS);
const view = {
  mode: 'latest', // or 'cumulative'
  cumulativeSince: null, // window start in ms; null: since the oldest window held
  paused: false,
  unseenWindows: 0,
};
let health = null;
// The reference run's occupancy per chamber, as shares of its hits (GET /api/quality; null without one).
const referenceOccupancy = Array(CHAMBERS).fill(null);

const $ = (id) => document.getElementById(id);
const number = (value) => (value == null ? '–' : Math.round(value).toLocaleString('en-US'));
const timeOfDay = (millis) => new Date(millis).toISOString().substring(11, 19);
const signed = (value) => (value < 0 ? `−${-value}` : `${value}`); // a typographic minus, as in the text around it

const series = seriesChart($('series-chart'));
const trend = trendChart($('trend-chart'));
const chambers = Array.from({ length: CHAMBERS }, (_, chamber) => {
  const card = $('chamber-template').content.firstElementChild.cloneNode(true);
  card.querySelector('.chamber-name').textContent = `Chamber ${chamber}`;
  $('chambers').append(card);
  return {
    card,
    charts: chamberCharts(card, chamber),
    timeBox: timeBoxChart(card.querySelector('canvas[data-plot="timebox"]'), chamber),
    cells: null, // the cell map, once the geometry is in
  };
});

// Where the cells are comes from the server: asked for once, and again at a later render if that failed.
let geometryAsked = false;
async function loadGeometry() {
  if (geometryAsked) return;
  geometryAsked = true;
  try {
    const response = await fetch('/api/geometry');
    if (!response.ok) throw new Error(`GET /api/geometry: ${response.status}`);
    const geometry = await response.json();
    chambers.forEach((chamber) => {
      chamber.cells = cellMap(chamber.card.querySelector('.cells-figure'), geometry);
    });
    redraw();
  } catch (e) {
    geometryAsked = false;
  }
}
loadGeometry();

// The fits come from the server: the rolling view beside the latest window, the cumulative one
// beside the sum. One request at a time; a render while one runs asks for one more after it.
const quality = { running: false, again: false };
async function refreshQuality() {
  if (quality.running) {
    quality.again = true;
    return;
  }
  quality.running = true;
  try {
    const since = view.mode === 'cumulative' && view.cumulativeSince != null ? `&since=${new Date(view.cumulativeSince).toISOString()}` : '';
    const response = await fetch(`/api/quality?view=${view.mode === 'cumulative' ? 'cumulative' : 'rolling'}${since}`);
    if (response.ok) renderQuality(await response.json());
    const alarms = await fetch('/api/alarms');
    if (alarms.ok) renderJournal(await alarms.json());
  } catch (e) {
    // the server is away: the live connection says so, and the next window asks again
  } finally {
    quality.running = false;
    if (quality.again) {
      quality.again = false;
      refreshQuality();
    }
  }
}

function renderJournal(journal) {
  const firing = journal.filter((a) => a.state === 'firing');
  const items = firing.map((a) => {
    const li = document.createElement('li');
    li.className = 'alarm';
    li.textContent = `${a.kind}: ${a.message} (since ${timeOfDay(Date.parse(a.since))} UTC)`;
    return li;
  });
  if (!items.length) {
    const li = document.createElement('li');
    li.className = 'ok';
    li.textContent = 'none';
    items.push(li);
  }
  $('journal-list').replaceChildren(...items);
}

function renderQuality(data) {
  updateTrend(trend, data.trend);
  data.chambers.forEach((result) => {
    const { card, timeBox } = chambers[result.chamber];
    updateTimeBox(timeBox, result);
    const lines = qualityLines(result.quality);
    card.querySelector('[data-quality="timing"]').textContent = lines.timing;
    card.querySelector('[data-quality="efficiency"]').textContent = lines.efficiency;
    const comparison = comparisonLine(result.reference);
    const compared = card.querySelector('[data-quality="reference"]');
    compared.textContent = comparison.text;
    compared.dataset.status = comparison.status ?? '';
    card.querySelector('.fit-scope').textContent = `(${data.view}, ${data.windows} window${data.windows === 1 ? '' : 's'})`;
    referenceOccupancy[result.chamber] = result.reference?.occupancyShare ?? null;
    const showing = shown();
    if (showing) overlayReference(chambers[result.chamber].charts.occupancy, referenceOccupancy[result.chamber], showing.results.chambers[result.chamber].occupancy);
  });
  document.body.dataset.reference = data.reference ?? '';
  document.body.dataset.qualityView = data.view;
}

// Redraws at most once per frame, however many windows arrive at once (a snapshot brings many).
let redrawPending = false;
function redraw() {
  if (view.paused || redrawPending) return;
  redrawPending = true;
  requestAnimationFrame(() => {
    redrawPending = false;
    render();
  });
}

/** What the page shows now: the latest window, or the sum of the windows since the chosen start. */
function shown() {
  const latest = store.latest();
  if (!latest) return null;
  const windows = view.mode === 'latest' ? [latest] : store.since(view.cumulativeSince);
  const from = view.mode === 'latest' || view.cumulativeSince == null ? startMillis(windows[0] ?? latest) : view.cumulativeSince;
  return {
    mode: view.mode,
    from,
    to: windows.length ? endMillis(windows[windows.length - 1]) : from,
    windowCount: windows.length,
    seconds: durationSeconds(windows), // what the rates are over
    timeDomain: latest.results.timeDomain,
    results: view.mode === 'latest' ? latest.results : sumResults(windows, latest.results),
    alarms: latest.alarms, // alarms are judged per window: the latest one's
  };
}

function render() {
  const data = shown();
  if (!data) return;
  renderRange(data);
  renderTable(data);
  renderAlarms(data.alarms);
  updateSeries(series, store.windows);
  chambers.forEach(({ card, charts, cells }, c) => {
    updateChamber(charts, data.results.chambers[c], data.results.binEdges, data.alarms, c);
    overlayReference(charts.occupancy, referenceOccupancy[c], data.results.chambers[c].occupancy);
    if (cells) updateCellMap(cells, data.results.chambers[c].occupancy, data.seconds, data.alarms, c);
    else loadGeometry();
    const dead = data.alarms.dead.filter((a) => a.chamber === c).length;
    const noisy = data.alarms.noisy.filter((a) => a.chamber === c).length;
    const chamber = data.results.chambers[c];
    const edges = data.results.binEdges.driftTime; // outside the first and last edge: under- and overflow
    card.querySelector('.drift-outside').textContent =
      `· below ${signed(edges[0])}: ${number(chamber.driftTimeUnderflow)}, ` +
      `from ${signed(edges[edges.length - 1])}: ${number(chamber.driftTimeOverflow)}`;
    const badge = card.querySelector('.chamber-alarms');
    badge.textContent = dead || noisy ? `${dead} dead · ${noisy} noisy` : '';
    badge.className = `chamber-alarms${dead || noisy ? ' bad' : ''}`;
  });
  document.body.dataset.shownWindowStart = store.latest().results.start;
  refreshQuality();
}

function renderRange(data) {
  const text = data.mode === 'latest'
    ? `window ${timeOfDay(data.from)}–${timeOfDay(data.to)} UTC, ${data.timeDomain} time`
    : `cumulative since ${timeOfDay(data.from)} UTC (${data.windowCount} window${data.windowCount === 1 ? '' : 's'})`;
  $('shown-range').textContent = view.paused ? `${text} · paused` : text;
}

function renderTable({ results, alarms, seconds }) {
  const total = results.counts.hits;
  const share = (hits) => (total > 0 ? `${((100 * hits) / total).toFixed(1)} %` : '');
  const rate = (count) => hz(perSecond(count, seconds));
  results.chambers.forEach((chamber, c) => {
    $(`hits-${c}`).textContent = number(chamber.hits);
    $(`share-${c}`).textContent = share(chamber.hits);
    $(`rate-${c}`).textContent = rate(chamber.hits);
    $(`noise-${c}`).textContent = rate(noiseHits(chamber));
    $(`dead-${c}`).textContent = number(alarms.dead.filter((a) => a.chamber === c).length);
    $(`noisy-${c}`).textContent = number(alarms.noisy.filter((a) => a.chamber === c).length);
  });
  $('hits-unmapped').textContent = number(results.counts.unmapped);
  $('share-unmapped').textContent = share(results.counts.unmapped);
  $('rate-unmapped').textContent = rate(results.counts.unmapped);
  $('hits-total').textContent = number(total);
  $('rate-total').textContent = rate(total);
  $('noise-total').textContent = rate(results.chambers.reduce((sum, chamber) => sum + noiseHits(chamber), 0));
  $('dead-total').textContent = number(alarms.dead.length);
  $('noisy-total').textContent = number(alarms.noisy.length);
  const c = results.counts;
  $('other-counts').textContent =
    `rows ${number(c.rows)} · ancillary ${number(c.ancillary)} · malformed rows ${number(c.malformed)} · ` +
    `scintillator ${number(c.scintillator)} (${rate(c.scintillator)} Hz) · orbits ${number(c.orbits)} · late ${number(c.late)}`;
}

function renderAlarms(alarms) {
  $('alarm-scope').textContent = alarms.windowsLookedAt ? `(last ${alarms.windowsLookedAt} windows)` : '';
  const items = [
    ...alarms.dead.map((a) => ({ text: `dead: chamber ${a.chamber} channel ${a.channel} (no hits; median ${number(a.chamberMedian)})`, kind: 'dead' })),
    ...alarms.noisy.map((a) => ({
      text: `noisy: chamber ${a.chamber} channel ${a.channel} (${number(a.hits)} hits, ${hz(a.hz)} Hz: ${noisyRules(a).join(' and ')})`,
      kind: 'noisy',
    })),
  ];
  const list = $('alarm-list');
  if (!items.length) items.push({ text: 'no alarms', kind: 'ok' });
  list.replaceChildren(...items.map(({ text, kind }) => {
    const li = document.createElement('li');
    li.className = kind;
    li.textContent = text;
    return li;
  }));
}

/** The rules a noisy channel broke, as the server judged them. */
function noisyRules(alarm) {
  const rules = [];
  if (alarm.aboveMedian) rules.push(`${(alarm.hits / Math.max(alarm.chamberMedian, 1)).toFixed(1)}× median`);
  if (alarm.aboveRate) rules.push('above the rate limit');
  return rules;
}

function renderStatus(connected) {
  const server = $('server-status');
  server.textContent = connected ? 'live' : 'reconnecting…';
  server.className = connected ? 'good' : 'bad';
  if (!health) return;
  const kafka = health.kafka;
  $('kafka-status').textContent = kafka.connected ? (kafka.problem ? 'no topic' : 'connected') : 'unreachable';
  $('kafka-status').className = kafka.connected && !kafka.problem ? 'good' : 'bad';
  const problem = $('problem');
  problem.hidden = connected && !kafka.problem && !health.alarmTopicProblem;
  problem.textContent = !connected
    ? 'The dashboard server is not reachable; reconnecting. The page shows what it had.'
    : kafka.problem ?? health.alarmTopicProblem ?? '';
  const last = health.lastWindow;
  if (last) {
    const ageSeconds = Math.max(0, (Date.now() - Date.parse(last.end)) / 1000);
    $('last-window').textContent = `${timeOfDay(Date.parse(last.start))} UTC (${ageSeconds.toFixed(0)} s ago)`;
    $('rows-per-second').textContent = number(last.rowsPerSecond);
    $('pipeline-delay').textContent = `${last.pipelineDelaySeconds.toFixed(1)} s`;
  }
  $('consumer-lag').textContent = number(kafka.lag);
  $('malformed-messages').textContent = number(health.malformedMessages);
  $('connected-clients').textContent = number(health.connectedClients);
  // A traffic light per chamber: green without a firing alarm of the journal (GET /api/alarms), red with.
  (health.firingAlarms ?? []).forEach((count, c) => {
    const light = $(`light-${c}`);
    light.className = count ? 'light alarm' : 'light ok';
    light.title = count ? `chamber ${c}: ${count} alarm${count === 1 ? '' : 's'} firing` : `chamber ${c}: no alarm`;
  });
}

let connected = false;
connectLive(`/live?windows=${MAX_WINDOWS}`, {
  onState(isConnected) {
    connected = isConnected;
    renderStatus(connected);
  },
  onMessage(message) {
    if (message.type === 'snapshot') {
      message.windows.forEach((w) => store.add(w));
      health = message.status;
    } else if (message.type === 'window') {
      store.add(message.window);
      if (view.paused) view.unseenWindows++;
      updatePauseButton();
    } else if (message.type === 'status') {
      health = message.status;
    }
    renderStatus(connected);
    if (message.type !== 'status') redraw();
  },
});

function setMode(mode) {
  view.mode = mode;
  $('mode-latest').setAttribute('aria-checked', String(mode === 'latest'));
  $('mode-cumulative').setAttribute('aria-checked', String(mode === 'cumulative'));
  render();
}

function updatePauseButton() {
  const pause = $('pause');
  pause.setAttribute('aria-pressed', String(view.paused));
  pause.textContent = view.paused ? `Resume${view.unseenWindows ? ` (${view.unseenWindows} new)` : ''}` : 'Pause';
}

$('mode-latest').addEventListener('click', () => setMode('latest'));
$('mode-cumulative').addEventListener('click', () => setMode('cumulative'));
$('reset').addEventListener('click', () => {
  // Starts the sum afresh with the next window.
  const latest = store.latest();
  view.cumulativeSince = latest ? endMillis(latest) : null;
  setMode('cumulative');
});
$('pause').addEventListener('click', () => {
  view.paused = !view.paused;
  view.unseenWindows = 0;
  updatePauseButton();
  if (view.paused) renderRange(shown() ?? { mode: view.mode, from: 0, to: 0, windowCount: 0 });
  else render();
});
$('download').addEventListener('click', () => {
  const data = shown();
  if (!data) return;
  const file = {
    mode: data.mode,
    from: new Date(data.from).toISOString(),
    to: new Date(data.to).toISOString(),
    windowCount: data.windowCount,
    seconds: data.seconds,
    results: data.results,
    alarms: data.alarms,
    series: store.windows.map((w) => ({
      start: w.results.start,
      hits: w.results.counts.hits,
      chamberHits: w.results.chambers.map((c) => c.hits),
    })),
  };
  saveFile(fileName(data, 'json'), JSON.stringify(file, null, 2), 'application/json');
});
$('download-csv').addEventListener('click', () => {
  const data = shown();
  if (data) saveFile(fileName(data, 'csv'), histogramsCsv(data), 'text/csv');
});
$('download-root').addEventListener('click', () => {
  const data = shown();
  if (data) saveFile(fileName(data, 'root.json'), rootJson(data), 'application/json');
});

/** dtstream-<mode>-<from>.<extension>, the start without the characters file systems refuse. */
function fileName(data, extension) {
  return `dtstream-${data.mode}-${new Date(data.from).toISOString().replace(/[:.]/g, '')}.${extension}`;
}

/** Hands `text` to the browser as a download. */
function saveFile(name, text, type) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
