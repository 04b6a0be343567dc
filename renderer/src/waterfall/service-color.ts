/**
 * Colours per service. Each service has a preferred colour (from its name, so it looks the same
 * in every view); within one trace or graph no two services share one: a service whose
 * preferred colour is taken gets the next free one (services placed in name order, so the
 * choice is stable), and past the palette, evenly spaced hues.
 */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#86bcb6', '#8cd17d'];

function preferred(service: string): number {
  let h = 0;
  for (let i = 0; i < service.length; i++) h = (h * 31 + service.charCodeAt(i)) >>> 0;
  return h % PALETTE.length;
}

export function serviceColor(service: string): string {
  return PALETTE[preferred(service)]!;
}

/** A distinct colour for each of these services. */
export function servicePalette(services: Iterable<string>): Map<string, string> {
  const names = [...new Set(services)].sort();
  const out = new Map<string, string>();
  const taken = new Set<number>();
  const overflow: string[] = [];
  for (const name of names) {
    let i = preferred(name);
    let tries = 0;
    while (taken.has(i) && tries < PALETTE.length) {
      i = (i + 1) % PALETTE.length;
      tries++;
    }
    if (tries === PALETTE.length) overflow.push(name);
    else {
      taken.add(i);
      out.set(name, PALETTE[i]!);
    }
  }
  overflow.forEach((name, k) => out.set(name, `hsl(${Math.round((360 * (k + 0.5)) / overflow.length)} 45% 55%)`));
  return out;
}
