/** Switches every time shown between local time and UTC (remembered). */
import { setTimeZoneMode, timeZoneMode, zoneLabel } from '../app/format.js';

export function TimeZoneButton({ onChange }: { onChange: () => void }) {
  const mode = timeZoneMode();
  return (
    <button
      type="button"
      className="theme-button"
      data-testid="app-time-zone-button"
      title={`Times are shown in ${mode === 'utc' ? 'UTC' : `local time (${zoneLabel()})`}; click for ${mode === 'utc' ? 'local time' : 'UTC'}`}
      onClick={() => {
        setTimeZoneMode(mode === 'utc' ? 'local' : 'utc');
        onChange();
      }}
    >
      {mode === 'utc' ? 'UTC' : 'Local time'}
    </button>
  );
}
