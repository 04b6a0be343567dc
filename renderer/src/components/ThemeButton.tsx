/** The header's theme switch: system, light or dark (theme.ts). */
import { useState } from 'react';
import { applyTheme, nextTheme, storedTheme } from '../app/theme.js';

const LABEL = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' } as const;

export function ThemeButton() {
  const [theme, setTheme] = useState(storedTheme);
  return (
    <button
      className="theme-button"
      data-testid="app-theme-button"
      title="Switch between the system's theme, light and dark"
      onClick={() => {
        const next = nextTheme(theme);
        applyTheme(next);
        setTheme(next);
      }}
    >
      {LABEL[theme]}
    </button>
  );
}
