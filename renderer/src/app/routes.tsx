/**
 * The route table: each view's path, title, nav label and page, in one place. The first
 * route whose pattern matches the path renders; its title names the window.
 */
import type { ReactNode } from 'react';
import type { ServerInfo } from '../../../shared/api/contract.js';
import { TraceListPage } from '../pages/TraceListPage.js';
import { TracePage } from '../pages/TracePage.js';
import { SettingsPage } from '../pages/SettingsPage.js';
import { RemotePage } from '../pages/RemotePage.js';
import { ModelsPage } from '../models/ModelsPage.js';
import { GenAiPage } from '../genai/GenAiPage.js';
import { AlertsPage } from '../alerts/AlertsPage.js';
import { ReportsPage } from '../reports/ReportsPage.js';
import { ServicesPage } from '../services/ServicesPage.js';
import { LogsPage } from '../logs/LogsPage.js';
import { ComparePage } from '../compare/ComparePage.js';

export interface PageProps {
  /** What the path pattern captured (a trace ID). */
  match: RegExpExecArray;
  params: URLSearchParams;
  info: ServerInfo | null;
  loadDemo: () => void;
}

export interface RouteDef {
  id: string;
  /** The window title's first part. */
  title: string;
  /** The path the nav links to; absent: not in the nav. */
  navPath?: string;
  pattern: RegExp;
  /** The page follows the data context (dataset, time range), shown above it. */
  usesContext: boolean;
  render(p: PageProps): ReactNode;
}

export const ROUTES: readonly RouteDef[] = [
  {
    id: 'trace',
    title: 'Trace',
    pattern: /^\/trace\/([0-9a-fA-F]{32})\/?$/,
    usesContext: false,
    render: ({ match, params }) => {
      const ds = params.get('dataset');
      return <TracePage traceId={match[1]!.toLowerCase()} dataset={ds && /^\d+$/.test(ds) ? Number(ds) : undefined} />;
    },
  },
  { id: 'traces', title: 'Traces', navPath: '/', pattern: /^\/?$/, usesContext: true, render: (p) => <TraceListPage info={p.info} onLoadDemo={p.loadDemo} /> },
  { id: 'services', title: 'Services', navPath: '/services', pattern: /^\/services\/?$/, usesContext: true, render: () => <ServicesPage /> },
  { id: 'logs', title: 'Logs', navPath: '/logs', pattern: /^\/logs\/?$/, usesContext: true, render: () => <LogsPage /> },
  { id: 'models', title: 'Models', navPath: '/models', pattern: /^\/models\/?$/, usesContext: true, render: (p) => <ModelsPage onLoadDemo={p.loadDemo} /> },
  { id: 'genai', title: 'GenAI', navPath: '/genai', pattern: /^\/genai\/?$/, usesContext: true, render: () => <GenAiPage /> },
  { id: 'alerts', title: 'Alerts', navPath: '/alerts', pattern: /^\/alerts\/?$/, usesContext: false, render: () => <AlertsPage /> },
  { id: 'reports', title: 'Reports', navPath: '/reports', pattern: /^\/reports\/?$/, usesContext: true, render: () => <ReportsPage /> },
  { id: 'remote', title: 'Remote sources', navPath: '/remote', pattern: /^\/remote\/?$/, usesContext: false, render: () => <RemotePage /> },
  { id: 'settings', title: 'Settings', navPath: '/settings', pattern: /^\/settings\/?$/, usesContext: false, render: (p) => <SettingsPage info={p.info} /> },
  { id: 'compare', title: 'Compare', pattern: /^\/compare\/?$/, usesContext: false, render: () => <ComparePage /> },
];

export const NOT_FOUND: RouteDef = {
  id: 'not-found',
  title: 'Not found',
  pattern: /^$/,
  usesContext: false,
  render: () => (
    <div className="empty-state" data-testid="not-found">
      <h1>Nothing here</h1>
      <p>This address is not a Sightline view.</p>
    </div>
  ),
};

/** The route for a path, and what its pattern captured. */
export function matchRoute(path: string): { route: RouteDef; match: RegExpExecArray } {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, match };
  }
  return { route: NOT_FOUND, match: /^/.exec(path)! };
}
