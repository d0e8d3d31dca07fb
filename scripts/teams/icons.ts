// The Teams app icons, drawn from code: a speech bubble holding three rising bars ("strengths,
// growing"). Colour: 192×192, white on the accent colour, full bleed. Outline: 32×32, white on
// transparent, as Teams requires. Shapes are point tests, sampled 4×4 per pixel for smooth edges.
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

/** The mark, on a 32-unit grid, so both icons share one drawing. */
function mark(scale: number) {
  const s = (v: number) => v * scale;
  const bubble = roundedRect(s(3), s(4), s(29), s(22.5), s(5));
  const tail = triangle(s(7.5), s(21), s(14), s(21), s(5.5), s(28.5));
  const bars = union(rect(s(9), s(14), s(12), s(18.5)), rect(s(14.5), s(11), s(17.5), s(18.5)), rect(s(20), s(7.5), s(23), s(18.5)));
  return { bubble, tail, bars, inset: (v: number) => roundedRect(s(3 + v), s(4 + v), s(29 - v), s(22.5 - v), s(Math.max(5 - v, 1))) };
}

/** 192×192, full colour: a white bubble on the accent colour, the bars in the accent colour. */
export function colourIcon(): Image {
  const m = mark(192 / 32);
  const accent = hex(ACCENT);
  return paint(192, [
    { inside: rect(0, 0, 192, 192), colour: accent },
    { inside: union(m.bubble, m.tail), colour: WHITE },
    { inside: m.bars, colour: accent },
  ]);
}

/** 32×32, white on transparent: the bubble's outline (2 px) and the bars. */
export function outlineIcon(): Image {
  const m = mark(1);
  const outline = minus(union(m.bubble, m.tail), m.inset(2));
  return paint(32, [
    { inside: outline, colour: WHITE },
    { inside: m.bars, colour: WHITE },
  ]);
}

export function iconFiles(): { 'color.png': Buffer; 'outline.png': Buffer } {
  return { 'color.png': encodePng(colourIcon()), 'outline.png': encodePng(outlineIcon()) };
}
