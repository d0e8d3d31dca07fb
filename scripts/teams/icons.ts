// The Teams app icons, drawn from code: a speech bubble holding three rising bars ("strengths,
// growing"). Sizes and margins follow Microsoft's icon guidance for the store:
// - colour: 192×192 on the accent colour, full bleed, the symbol inside the central 96×96 (48 px of
//   padding all round), so the crops Teams applies (hexagon, rounded square) never clip it;
// - outline: 32×32, white on transparent, the symbol reaching the edges (no padding).
// Shapes are point tests, sampled 4×4 per pixel for smooth edges.
import { encodePng, type Image } from './binary.ts';

export const ACCENT = '#1F6F5C';

type Rgba = readonly [number, number, number, number];
type Inside = (x: number, y: number) => boolean;
interface Layer {
  inside: Inside;
  colour: Rgba;
}

const WHITE: Rgba = [255, 255, 255, 255];

function hex(colour: string): Rgba {
  const n = parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 255];
}

const rect = (x0: number, y0: number, x1: number, y1: number): Inside => (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1;

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Inside {
  return (x, y) => {
    if (x < x0 || x >= x1 || y < y0 || y >= y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
}

function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Inside {
  const side = (px: number, py: number, qx: number, qy: number, x: number, y: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const d1 = side(ax, ay, bx, by, x, y);
    const d2 = side(bx, by, cx, cy, x, y);
    const d3 = side(cx, cy, ax, ay, x, y);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
}

const union = (...shapes: Inside[]): Inside => (x, y) => shapes.some((s) => s(x, y));
const minus = (shape: Inside, hole: Inside): Inside => (x, y) => shape(x, y) && !hole(x, y);

/** Later layers paint over earlier ones; each pixel averages 4×4 samples (colours premultiplied). */
function paint(size: number, layers: Layer[]): Image {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = px + (sx + 0.5) / n;
          const y = py + (sy + 0.5) / n;
          let colour: Rgba | undefined;
          for (const layer of layers) if (layer.inside(x, y)) colour = layer.colour;
          if (!colour) continue;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha;
          g += colour[1] * alpha;
          b += colour[2] * alpha;
          a += alpha;
        }
      }
      const at = (py * size + px) * 4;
      if (a > 0) {
        rgba[at] = Math.round(r / a);
        rgba[at + 1] = Math.round(g / a);
        rgba[at + 2] = Math.round(b / a);
      }
      rgba[at + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return { width: size, height: size, rgba };
}

/** The colour icon's size, and the square its symbol must stay inside (Microsoft: 96×96, centred). */
export const COLOUR_SIZE = 192;
export const COLOUR_SYMBOL = 96;
export const OUTLINE_SIZE = 32;

// The mark is drawn in its own units: its bounding box (bubble and tail) is MARK_W × MARK_H.
const MARK_W = 26;
const MARK_H = 24.5;

/** The mark scaled so its longer side is `box` pixels, centred in a `size`-pixel square. */
function mark(size: number, box: number) {
  const scale = box / Math.max(MARK_W, MARK_H);
  const left = (size - MARK_W * scale) / 2;
  const top = (size - MARK_H * scale) / 2;
  const x = (v: number) => left + v * scale;
  const y = (v: number) => top + v * scale;
  const r = (v: number) => v * scale;
  const bubble = roundedRect(x(0), y(0), x(26), y(18.5), r(5));
  const tail = triangle(x(4.5), y(17), x(11), y(17), x(2.5), y(24.5));
  const bars = union(rect(x(6), y(10), x(9), y(14.5)), rect(x(11.5), y(7), x(14.5), y(14.5)), rect(x(17), y(3.5), x(20), y(14.5)));
  const inset = (v: number) => roundedRect(x(v), y(v), x(26 - v), y(18.5 - v), r(Math.max(5 - v, 1)));
  return { bubble, tail, bars, inset };
}

/** 192×192, full colour: a white bubble on the accent colour, the bars in the accent colour. */
export function colourIcon(): Image {
  const m = mark(COLOUR_SIZE, COLOUR_SYMBOL);
  const accent = hex(ACCENT);
  return paint(COLOUR_SIZE, [
    { inside: rect(0, 0, COLOUR_SIZE, COLOUR_SIZE), colour: accent },
    { inside: union(m.bubble, m.tail), colour: WHITE },
    { inside: m.bars, colour: accent },
  ]);
}

/** 32×32, white on transparent: the bubble's outline (about 2 px) and the bars, edge to edge. */
export function outlineIcon(): Image {
  const m = mark(OUTLINE_SIZE, OUTLINE_SIZE);
  const outline = minus(union(m.bubble, m.tail), m.inset(1.7));
  return paint(OUTLINE_SIZE, [
    { inside: outline, colour: WHITE },
    { inside: m.bars, colour: WHITE },
  ]);
}

export function iconFiles(): { 'color.png': Buffer; 'outline.png': Buffer } {
  return { 'color.png': encodePng(colourIcon()), 'outline.png': encodePng(outlineIcon()) };
}
