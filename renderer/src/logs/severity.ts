/** OTLP severity numbers (1–24) to the names and CSS classes the logs view uses. */
export const SEVERITY_LEVELS = [
  { min: 1, name: 'TRACE' },
  { min: 5, name: 'DEBUG' },
  { min: 9, name: 'INFO' },
  { min: 13, name: 'WARN' },
  { min: 17, name: 'ERROR' },
  { min: 21, name: 'FATAL' },
] as const;

export function severityClass(severityNumber: number): string {
  if (severityNumber >= 17) return 'sev-error';
  if (severityNumber >= 13) return 'sev-warn';
  if (severityNumber >= 9) return 'sev-info';
  return 'sev-debug';
}
