/**
 * How the simulators show a webhook credential they hold: as real portals do, only its last four
 * characters (`••••abcd`), so an answer read by anyone never hands out what authenticates a
 * delivery. Shorter values are masked whole.
 */
export function maskSecret(secret: string): string {
  return secret.length >= 16 ? `••••${secret.slice(-4)}` : '••••';
}

/** Query parameters and URL parts that carry a credential (`?token=`, `?secret=`, `user:pass@`). */
const CREDENTIAL_PARAM = /token|secret|key|sig|auth|pass|code/i;

/**
 * A callback URL with its credentials masked: the password of its user info and every query
 * parameter whose name says it carries one. Origin and path stay readable, so a gateway can still
 * recognise its own endpoint. An unparseable URL is masked whole.
 */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskSecret(url);
  }
  if (parsed.password) parsed.password = maskSecret(decodeURIComponent(parsed.password));
  // Rebuilt by hand: URLSearchParams would percent-encode the mask's bullets beyond recognition.
  const query = [...parsed.searchParams].map(
    ([name, value]) =>
      `${encodeURIComponent(name)}=${CREDENTIAL_PARAM.test(name) ? maskSecret(value) : encodeURIComponent(value)}`,
  );
  parsed.search = '';
  parsed.hash = '';
  return `${parsed.toString()}${query.length ? `?${query.join('&')}` : ''}`;
}
