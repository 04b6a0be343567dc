/**
 * Formatting shared by the views, so each kind of value reads the same everywhere: one time
 * format (2026-10-14 14:59:59.795 UTC) in the zone the user chose (local or UTC, remembered),
 * durations with sensible units, counts with thousands separators.
 */
export type TimeZoneMode = 'local' | 'utc';
const ZONE_KEY = 'sightline.timeZone';

function readZone(): TimeZoneMode {
  try {
    return window.localStorage.getItem(ZONE_KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
}

let zone: TimeZoneMode = typeof window === 'undefined' ? 'local' : readZone();

export const timeZoneMode = (): TimeZoneMode => zone;

export function setTimeZoneMode(mode: TimeZoneMode): void {
  zone = mode;
  try {
    window.localStorage.setItem(ZONE_KEY, mode);
  } catch {
    // storage disabled: for this window only
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function parts(ms: number): Parts {
  const t = new Date(ms);
  return zone === 'utc'
    ? {
        y: t.getUTCFullYear(),
        mo: t.getUTCMonth() + 1,
        d: t.getUTCDate(),
        h: t.getUTCHours(),
        mi: t.getUTCMinutes(),
        s: t.getUTCSeconds(),
        ms: t.getUTCMilliseconds(),
      }
    : { y: t.getFullYear(), mo: t.getMonth() + 1, d: t.getDate(), h: t.getHours(), mi: t.getMinutes(), s: t.getSeconds(), ms: t.getMilliseconds() };
}

/** The zone's name as the times show it: "UTC", or the local offset ("UTC+01:00"). */
export function zoneLabel(atMs = Date.now()): string {
  if (zone === 'utc') return 'UTC';
  const offsetMin = -new Date(atMs).getTimezoneOffset();
  if (offsetMin === 0) return 'UTC+00:00';
  const sign = offsetMin > 0 ? '+' : '−';
  return `UTC${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
}

/** The one timestamp format: date, time to the millisecond, zone. */
export function formatTimestamp(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${pad(p.ms, 3)} ${zoneLabel(ms)}`;
}

/** The same without the zone, for tables whose header names it. */
export function formatTime(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${pad(p.ms, 3)}`;
}

/** A chart axis tick: the time of day, to the second when the span is short. */
export function formatClock(ms: number, withSeconds = true): string {
  const p = parts(ms);
  return withSeconds ? `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}` : `${pad(p.h)}:${pad(p.mi)}`;
}

/** A period: "2026-10-14 14:00:00 – 14:30:00 UTC" (the date once when both ends share it). */
export function formatPeriod(fromMs: number, toMs: number): string {
  const a = parts(fromMs);
  const b = parts(toMs);
  const date = (p: Parts): string => `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
  const clock = (p: Parts): string => `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
  const end = date(a) === date(b) ? clock(b) : `${date(b)} ${clock(b)}`;
  return `${date(a)} ${clock(a)} – ${end} ${zoneLabel(fromMs)}`;
}

export function formatDurationMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * A count with thousands separators, as en-US writes it: 12,000. Not toLocaleString for whole
 * numbers: its first call loads the locale's data, about 30 ms on the UI thread while a huge
 * trace's first page was being drawn, and each call after it builds a formatter.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const grouped = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

export function formatValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}
