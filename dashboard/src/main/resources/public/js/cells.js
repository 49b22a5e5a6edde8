// The chamber as it is built: one SVG rect per cell, at its place in the chamber, coloured by the
// cell's rate; dead and noisy cells outlined. Where each channel's cell is comes from the server
// (GET /api/geometry, the contract's Cells): the page has no channel mapping of its own. Each map
// is created once and updated in place, as the charts are.

import { perSecond } from './store.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Light to dark blue: the red (noisy) and dashed black (dead) outlines stand out on every shade. */
const RAMP_LOW = [239, 243, 255];
const RAMP_HIGH = [8, 81, 156];
const NO_RATE = '#d9d9d9'; // no duration to divide by (a sum of no windows)
/** Room around the cells, in mm, so that the outlines of the outer cells are not cut off. */
const MARGIN_MM = 2;

/** Rates as the page writes them: Hz with one decimal. */
export const hz = (value) =>
  value == null ? '–' : value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const rgb = ([r, g, b]) => `rgb(${r}, ${g}, ${b})`;

/** The ramp's colour at `fraction` (0-1) of the scale. */
function rampColour(fraction) {
  return rgb(RAMP_LOW.map((low, i) => Math.round(low + (RAMP_HIGH[i] - low) * fraction)));
}

/**
 * Draws the cells of `geometry` into `figure` (its `.cells` element gets the SVG, its legend the
 * ramp). Positions stay in the chamber's mm: a rect's x is its wire's x minus half a cell, so the
 * staggering reads off the attributes; z grows upwards, SVG's y downwards, so layer 4 is on top.
 */
export function cellMap(figure, geometry) {
  const width = geometry.cellWidthMm;
  const height = geometry.cellHeightMm;
  const left = Math.min(...geometry.cells.map((cell) => cell.xMm)) - width / 2;
  const right = Math.max(...geometry.cells.map((cell) => cell.xMm)) + width / 2;
  const bottom = Math.min(...geometry.cells.map((cell) => cell.zMm)) - height / 2;
  const top = Math.max(...geometry.cells.map((cell) => cell.zMm)) + height / 2;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `${left - MARGIN_MM} ${-MARGIN_MM} ${right - left + 2 * MARGIN_MM} ${top - bottom + 2 * MARGIN_MM}`);
  svg.setAttribute('class', 'cell-map');
  const cells = geometry.cells.map((cell) => {
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(cell.xMm - width / 2));
    rect.setAttribute('y', String(top - (cell.zMm + height / 2)));
    rect.setAttribute('width', String(width));
    rect.setAttribute('height', String(height));
    rect.setAttribute('class', 'cell');
    rect.setAttribute('fill', NO_RATE); // until the first window gives it a rate
    rect.dataset.channel = String(cell.channel);
    rect.dataset.layer = String(cell.layer);
    rect.dataset.wire = String(cell.wire);
    const title = document.createElementNS(SVG, 'title'); // the browser's tooltip
    rect.append(title);
    svg.append(rect);
    return { cell, rect, title };
  });
  figure.querySelector('.cells').append(svg);
  figure.querySelector('.ramp').style.background = `linear-gradient(to right, ${rgb(RAMP_LOW)}, ${rgb(RAMP_HIGH)})`;
  return { svg, cells, low: figure.querySelector('.ramp-low'), high: figure.querySelector('.ramp-high') };
}

/**
 * Shows one chamber's occupancy (hits per channel) over `seconds` as rates; outlines the
 * channels the latest window's alarms call dead or noisy, as the occupancy chart colours them.
 */
export function updateCellMap(map, occupancy, seconds, alarms, chamber) {
  const noisy = new Set(alarms.noisy.filter((a) => a.chamber === chamber).map((a) => a.channel));
  const dead = new Set(alarms.dead.filter((a) => a.chamber === chamber).map((a) => a.channel));
  const rates = occupancy.map((hits) => perSecond(hits, seconds));
  // The scale ends at the fastest cell not called noisy: one noisy cell would wash the others out
  // to the lowest shade. Faster cells take the top colour (and are outlined).
  const quiet = rates.filter((rate, channel) => rate != null && !noisy.has(channel));
  const scaleTop = Math.max(0, ...quiet);
  for (const { cell, rect, title } of map.cells) {
    const rate = rates[cell.channel];
    rect.setAttribute('fill', rate == null ? NO_RATE : rampColour(scaleTop > 0 ? Math.min(rate / scaleTop, 1) : 0));
    rect.classList.toggle('noisy', noisy.has(cell.channel));
    rect.classList.toggle('dead', dead.has(cell.channel));
    const flag = noisy.has(cell.channel) ? ' · noisy' : dead.has(cell.channel) ? ' · dead' : '';
    title.textContent = `channel ${cell.channel} · layer ${cell.layer} · wire ${cell.wire} · ${hz(rate)} Hz${flag}`;
    // Drawn last, so that no neighbour covers half of the outline.
    if (noisy.has(cell.channel) || dead.has(cell.channel)) map.svg.append(rect);
  }
  map.low.textContent = '0 Hz';
  map.high.textContent = `${hz(scaleTop)} Hz`;
}
