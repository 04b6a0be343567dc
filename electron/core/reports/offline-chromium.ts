/**
 * The switches that keep the PDF printer's Chromium on this machine. A stock Chromium, even
 * headless and driven over a pipe, resolves update.googleapis.com and accounts.google.com and
 * probes IPv6 reachability with a UDP socket to a public address; a report being printed must
 * cause none of that. Three layers, each enough on its own for what it covers:
 *
 * 1. background services off (updates, sync, metrics, hints, translate, DNS prefetch, …);
 * 2. every host name resolves to "not found", so nothing that is left can look a name up
 *    (playwright talks to the browser over a pipe, so no host needs resolving);
 * 3. every request goes to a proxy on a closed loopback port, loopback included.
 *
 * Measured with strace and Chromium's net log (test/integration/report-pdf-offline.test.ts):
 * the headless shell then makes no request at all; a full Chromium 156 still starts its
 * accounts.google.com/ListAccounts request (no switch stops it), which fails inside the browser,
 * but its host resolver first connects a UDP socket to 2001:4860:4860::8888 (an IPv6
 * reachability probe: nothing is sent). That is why report-pdf.ts prefers the headless shell.
 */

/**
 * Chromium features that phone home. `--disable-features` is not merged by Chromium (the last
 * one wins), and playwright passes its own first, so this list repeats the ones of playwright's
 * that concern the network or printing.
 */
const DISABLED_FEATURES = [
  'AutofillServerCommunication',
  'CertificateTransparencyComponentUpdater',
  'DialMediaRouteProvider',
  'MediaRouter',
  'OptimizationHints',
  'OptimizationHintsFetching',
  'OptimizationGuideModelDownloading',
  'NetworkTimeServiceQuerying',
  'Translate',
  'PreconnectToSearch',
  'AimEnabled',
  'LensOverlay',
  'AcceptCHFrame',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'DestroyProfileOnBrowserClose',
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
];

/** A proxy nobody answers (the discard port on loopback): whatever still asks for a URL fails here. */
export const DEAD_PROXY = 'http://127.0.0.1:9';

/** A scheme Chromium's network stack no longer speaks: the request fails before any socket or lookup. */
const REFUSED_UPDATE_URL = 'ftp://127.0.0.1:9/';

export function offlineChromiumArgs(): string[] {
  return [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-client-side-phishing-detection',
    '--disable-domain-reliability',
    '--disable-breakpad',
    '--disable-crash-reporter',
    '--metrics-recording-only',
    '--no-first-run',
    '--no-default-browser-check',
    '--no-pings',
    '--no-service-autorun',
    '--dns-prefetch-disable',
    '--disable-quic',
    '--disable-gpu',
    '--disable-features=' + DISABLED_FEATURES.join(','),
    '--host-resolver-rules=MAP * ~NOTFOUND',
    `--proxy-server=${DEAD_PROXY}`,
    // "<-loopback>" removes Chromium's implicit bypass for localhost: nothing skips the proxy.
    '--proxy-bypass-list=<-loopback>',
    // The on-demand update check for the on-device model manifest ignores
    // --disable-component-update; a URL scheme the network stack refuses ends it in the browser.
    `--component-updater=url-source=${REFUSED_UPDATE_URL}`,
  ];
}

/**
 * Whether Chromium's sandbox can be used: not as root on Linux, where Chromium refuses to
 * start sandboxed ("Running as root without --no-sandbox is not supported").
 */
export function chromiumSandboxAllowed(platform: NodeJS.Platform = process.platform, uid: number | undefined = process.getuid?.()): boolean {
  return !(platform === 'linux' && uid === 0);
}
