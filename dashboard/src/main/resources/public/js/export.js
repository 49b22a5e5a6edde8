// The page's exports of what it shows (main.js's shown()): the histograms as CSV in long form and
// in the JSON layout ROOT's TBufferJSON writes for a TList of TH1D, which ROOT
// (TBufferJSON::FromJSON) and JSROOT (parse, draw) read. Pure functions; no DOM here.

/** Each chamber's histograms: the results' field (the CSV's name), their titles and axes. */
const HISTOGRAMS = [
  { field: 'occupancy', title: 'occupancy', x: 'channel', y: 'hits' },
  { field: 'activeChannelsPerOrbit', title: 'active channels per orbit', x: 'active channels', y: 'orbits' },
  { field: 'scintillatorOccupancy', title: 'scintillator-triggered occupancy', x: 'channel', y: 'hits' },
  { field: 'driftTime', title: 'drift time', x: 'drift time (ns)', y: 'hits' },
];

export const CSV_HEADER = 'window_start,chamber,histogram,bin_low,bin_high,count';

/**
 * The histograms shown, one per chamber and kind, with their bin edges (bin k is [edges[k],
 * edges[k + 1])). Only the drift time has under- and overflow: the other histograms' bins hold
 * every value there is (all 64 channels; 1 to 64 active channels), so theirs are null.
 */
export function histograms(data) {
  const { chambers, binEdges } = data.results;
  return chambers.flatMap((chamber) => HISTOGRAMS.map((h) => ({
    chamber: chamber.chamber,
    field: h.field,
    name: `chamber${chamber.chamber}_${h.field}`,
    title: `Chamber ${chamber.chamber} ${h.title}`,
    xTitle: h.x,
    yTitle: h.y,
    edges: binEdges[h.field],
    counts: chamber[h.field],
    underflow: h.field === 'driftTime' ? chamber.driftTimeUnderflow : null,
    overflow: h.field === 'driftTime' ? chamber.driftTimeOverflow : null,
  })));
}

/**
 * One row per bin of each histogram of each chamber. The drift time's underflow is a row from
 * -inf to its first edge before its bins, its overflow one from its last edge to inf after them,
 * so the rows of a histogram add up to all its entries. window_start is the start of what is
 * shown: the window's, or for the sum the start it counts from (shown()'s `from`).
 */
export function histogramsCsv(data) {
  const start = new Date(data.from).toISOString();
  const lines = [CSV_HEADER];
  for (const h of histograms(data)) {
    for (const bin of binsOf(h)) {
      lines.push([start, h.chamber, h.field, edgeText(bin.low), edgeText(bin.high), bin.count].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

function binsOf(h) {
  const bins = h.counts.map((count, k) => ({ low: h.edges[k], high: h.edges[k + 1], count }));
  if (h.underflow != null) bins.unshift({ low: -Infinity, high: h.edges[0], count: h.underflow });
  if (h.overflow != null) bins.push({ low: h.edges[h.edges.length - 1], high: Infinity, count: h.overflow });
  return bins;
}

// The spelling numpy, pandas and ROOT's TTree::ReadFile read as infinities.
function edgeText(edge) {
  if (edge === Infinity) return 'inf';
  if (edge === -Infinity) return '-inf';
  return String(edge);
}

/** A TList of one TH1D per chamber and histogram, as the text of a .root.json file. */
export function rootJson(data) {
  return JSON.stringify(tList(histograms(data).map(th1d)));
}

function tList(objects) {
  return { _typename: 'TList', name: 'TList', arr: objects, opt: objects.map(() => '') };
}

/**
 * A TH1D with ROOT's members in TBufferJSON's order; its title is kept as ROOT keeps "Chamber 0
 * occupancy;channel;hits", with the axis titles on the axes. fArray holds the cells: the
 * underflow at 0, bin k at k + 1, the overflow last (fNcells = bins + 2). Entries count every
 * cell, as ROOT's Fill does; the sums of weights (for the mean and RMS) only the bins, at their
 * centres, as ROOT's TH1::ResetStats would have them; every entry weighs 1, so fSumw2 stays empty.
 */
function th1d(h) {
  const cells = [h.underflow ?? 0, ...h.counts, h.overflow ?? 0];
  const centres = h.counts.map((_, k) => (h.edges[k] + h.edges[k + 1]) / 2);
  const sumw = sum(h.counts);
  return {
    _typename: 'TH1D',
    fUniqueID: 0,
    fBits: 8,
    fName: h.name,
    fTitle: h.title,
    fLineColor: 602,
    fLineStyle: 1,
    fLineWidth: 1,
    fFillColor: 0,
    fFillStyle: 1001,
    fMarkerColor: 1,
    fMarkerStyle: 1,
    fMarkerSize: 1,
    fNcells: cells.length,
    fXaxis: tAxis('xaxis', h.xTitle, h.edges),
    fYaxis: tAxis('yaxis', h.yTitle, [0, 1]),
    fZaxis: tAxis('zaxis', '', [0, 1]),
    fBarOffset: 0,
    fBarWidth: 1000,
    fEntries: sum(cells),
    fTsumw: sumw,
    fTsumw2: sumw,
    fTsumwx: sum(h.counts.map((count, k) => count * centres[k])),
    fTsumwx2: sum(h.counts.map((count, k) => count * centres[k] * centres[k])),
    fMaximum: -1111, // ROOT's kNoZoom: no fixed range
    fMinimum: -1111,
    fNormFactor: 0,
    fContour: [],
    fSumw2: [],
    fOption: '',
    fFunctions: tList([]),
    fBufferSize: 0,
    fBuffer: [],
    fBinStatErrOpt: 0,
    fStatOverflows: 2, // kNeutral: ROOT's global setting decides
    fArray: cells,
  };
}

/** A TAxis over `edges`; fXbins stays empty when the bins are equal, as ROOT leaves it. */
function tAxis(name, title, edges) {
  return {
    _typename: 'TAxis',
    fUniqueID: 0,
    fBits: 0,
    fName: name,
    fTitle: title,
    fNdivisions: 510,
    fAxisColor: 1,
    fLabelColor: 1,
    fLabelFont: 42,
    fLabelOffset: 0.005,
    fLabelSize: 0.035,
    fTickLength: 0.03,
    fTitleOffset: 1,
    fTitleSize: 0.035,
    fTitleColor: 1,
    fTitleFont: 42,
    fNbins: edges.length - 1,
    fXmin: edges[0],
    fXmax: edges[edges.length - 1],
    fXbins: equalBins(edges) ? [] : edges.slice(),
    fFirst: 0,
    fLast: 0,
    fBits2: 0,
    fTimeDisplay: false,
    fTimeFormat: '',
    fLabels: null,
    fModLabs: null,
  };
}

// Equal within rounding: decimal edges (0.1 steps, say) are not exact multiples in binary.
function equalBins(edges) {
  const first = edges[0];
  const width = (edges[edges.length - 1] - first) / (edges.length - 1);
  return edges.every((edge, k) => Math.abs(edge - (first + k * width)) <= 1e-9 * Math.max(1, Math.abs(edge)));
}

function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}
