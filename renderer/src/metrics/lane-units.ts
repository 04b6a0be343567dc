/**
 * A metric's unit as a lane shows it: OpenTelemetry units are UCUM (ms, s, %, Cel, By, 1,
 * {request}), read here as people write them (°C, KB/MB, plain numbers), with one scale per
 * lane so its ticks and readouts agree (a byte lane that reaches 3.2 MB says MB everywhere; a
 * millisecond lane that passes a second says s). Rates end in "/s" (the core adds it). Pure.
 */
import { formatCount } from '../app/format.js';

export interface LaneUnit {
  /** As shown after a number: "°C", "MB/s", "%"; '' for plain numbers. */
  label: string;
  /** A value in the lane's unit, scaled and with its label: "3.2 MB". */
  format(value: number, step?: number): string;
}

interface Scale {
  label: string;
  factor: number;
}

const BYTES: Scale[] = [
  { label: 'B', factor: 1 },
  { label: 'KB', factor: 1e-3 },
  { label: 'MB', factor: 1e-6 },
  { label: 'GB', factor: 1e-9 },
  { label: 'TB', factor: 1e-12 },
];
const MS_PER: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
const RENAMED: Record<string, string> = { Cel: '°C', '[degF]': '°F', '1': '', '': '' };

/** A number with as many decimals as it needs (or as `step` between ticks needs). */
export function formatNumber(v: number, step?: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  let decimals =
    step !== undefined && step > 0 ? Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9))) : a >= 100 ? 0 : a >= 10 ? 1 : a >= 0.01 ? 2 : -1;
  if (decimals < 0) return v.toPrecision(2);
  // A tick between round ones (0.75 between 0 and 1.5) keeps the digits it needs.
  while (step !== undefined && decimals < 6 && Math.abs(Number(v.toFixed(decimals)) - v) > step * 1e-6) decimals++;
  if (a >= 1000 && decimals === 0) return formatCount(Math.round(v));
  return v.toFixed(decimals);
}

/** The scale that keeps `maxAbs` between 1 and 1000 of it. */
function pick(scales: Scale[], maxAbs: number): Scale {
  let best = scales[0]!;
  for (const s of scales) if (maxAbs * s.factor >= 1) best = s;
  return best;
}

function durationScale(msPerUnit: number, maxAbs: number): Scale {
  const maxMs = maxAbs * msPerUnit;
  const label = maxMs > 1000 ? 's' : maxMs >= 1 || maxMs === 0 ? 'ms' : 'µs';
  return { label, factor: msPerUnit / MS_PER[label]! };
}

/** `maxAbs`: the largest magnitude the lane shows, to choose its scale. */
export function laneUnit(unit: string, maxAbs: number): LaneUnit {
  const perSecond = unit.endsWith('/s') && unit !== '/s';
  const base = perSecond ? unit.slice(0, -2) : unit;
  let scale: Scale;
  if (base === 'By') scale = pick(BYTES, maxAbs);
  else if (base === 'bit') {
    const bytes = pick(BYTES, maxAbs);
    scale = { factor: bytes.factor, label: bytes.label.replace('B', 'bit') };
  } else if (MS_PER[base] !== undefined) scale = durationScale(MS_PER[base]!, maxAbs);
  // UCUM annotations ({request}) name what is counted: a plain number.
  else if (/^\{[^}]*\}$/.test(base)) scale = { label: '', factor: 1 };
  else scale = { label: RENAMED[base] ?? base, factor: 1 };
  const label = perSecond ? `${scale.label}/s` : scale.label;
  return {
    label,
    format: (value, step) => {
      const n = formatNumber(value * scale.factor, step === undefined ? undefined : step * scale.factor);
      return label === '' ? n : `${n} ${label}`;
    },
  };
}
