/**
 * The Content-Security-Policy of every Sightline page, in the browser and in Electron:
 * nothing loads or connects outside the app's own origin (no CDN, no telemetry).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'none'";
