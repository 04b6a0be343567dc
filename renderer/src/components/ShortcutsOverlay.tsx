/** The `?` overlay: every keyboard shortcut of the app, so none has to be guessed. */
import { useEffect, useState } from 'react';

const SHORTCUTS: { keys: string; what: string; where: string }[] = [
  { keys: '?', what: 'show or hide this list', where: 'anywhere' },
  { keys: '↓ or j / ↑ or k', what: 'next / previous span', where: 'waterfall' },
  { keys: '→ / ←', what: 'expand / collapse the span', where: 'waterfall' },
  { keys: 'Enter', what: 'expand or collapse the span', where: 'waterfall' },
  { keys: '/', what: 'search the spans', where: 'waterfall' },
  { keys: 'Esc', what: 'clear the search, then the selection; close this list', where: 'waterfall, this list' },
  { keys: 'double click', what: 'show the whole trace again', where: 'minimap' },
];

const typing = (t: EventTarget | null): boolean => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

export function ShortcutsOverlay() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === '?' && !typing(e.target)) setOpen((o) => !o);
      else if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  return (
    <div className="shortcuts-backdrop" onClick={() => setOpen(false)}>
      <div
        className="shortcuts-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-overlay"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table className="trace-table">
          <thead>
            <tr>
              <th>Keys</th>
              <th>Does</th>
              <th>Where</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td className="mono">{s.keys}</td>
                <td>{s.what}</td>
                <td>{s.where}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => setOpen(false)} autoFocus>
          Close
        </button>
      </div>
    </div>
  );
}
