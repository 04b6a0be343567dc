/**
 * The colour theme: the system's (no attribute), or light or dark chosen in the header and
 * kept in localStorage. It sets data-theme on <html>, which picks the CSS color-scheme that
 * every light-dark() colour in styles.css follows. Applied before the first render.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const KEY = 'sightline.theme';

export function storedTheme(): Theme {
  try {
    const v = localStorage.getItem(KEY);
    return (THEMES as readonly string[]).includes(v ?? '') ? (v as Theme) : 'system';
  } catch {
    return 'system'; // storage unavailable (a locked-down profile)
  }
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    /* the choice then lasts until the window closes */
  }
}

/** System → light → dark → system. */
export function nextTheme(theme: Theme): Theme {
  return THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!;
}
