// The emulated network: which real address a host name given to the modem reaches.
// Nothing here does a real DNS lookup, so tests behave the same with or without internet access.

export interface Target { host: string; port: number }

/** "host:port" → Target; throws on a malformed value so a typo in options fails loudly. */
export function parseHostPort(value: string): Target {
  const m = /^(.*):(\d{1,5})$/.exec(value.trim());
  if (!m || !m[1]) throw new Error(`expected "host:port", got ${JSON.stringify(value)}`);
  return { host: m[1].replace(/^\[(.*)\]$/, "$1"), port: Number(m[2]) };
}

/** RFC 6761 reserves .invalid: such names never resolve, which is how tests provoke a DNS failure. */
export function isUnresolvable(host: string): boolean {
  return /(^|\.)invalid\.?$/i.test(host.trim());
}

export interface RouterOptions {
  hosts?: Record<string, string>;         // per-name overrides, checked first
  outside?: Target;                       // every other name goes here (e.g. Dovecot) …
  embedded?: () => Target;                // … or to the embedded listener
}

/** null = the name does not resolve (→ code 62). */
export function route(host: string, opts: RouterOptions): Target | null {
  if (isUnresolvable(host)) return null;
  const override = opts.hosts?.[host.toLowerCase()] ?? opts.hosts?.[host];
  if (override) return parseHostPort(override);
  if (opts.outside) return opts.outside;
  if (opts.embedded) return opts.embedded();
  return null;
}

/** SNI only for names, never for IP literals (Node warns about those). */
export function sniName(host: string): string | undefined {
  return /^[\d.]+$|:/.test(host) ? undefined : host;
}
