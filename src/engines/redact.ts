/**
 * Hide passwords in connection strings before they reach a message, a log or a report.
 *
 * @example
 * ```ts
 * redactUrl('postgres://user:secret@host/db'); // 'postgres://user:***@host/db'
 * ```
 */

/**
 * A connection string with its passwords replaced by `***`: the password of the URL's user
 * info (`scheme://user:password@host`, also when the password holds `@`, `:` or `/`), and the
 * values of `password=` / `pwd=` parameters (query string or PostgreSQL key-value form, quoted
 * or not). Everything else is kept as written.
 *
 * @example
 * ```ts
 * redactUrl('postgres://user:secret@host:5432/db?sslmode=require'); // 'postgres://user:***@host:5432/db?sslmode=require'
 * redactUrl('http://default:p@ss@ch1:8123/?password=x');          // 'http://default:***@ch1:8123/?password=***'
 * redactUrl("host=db user=me password='a b'");                      // 'host=db user=me password=***'
 * redactUrl('/data/store.duckdb');                                  // '/data/store.duckdb'
 * ```
 */
export function redactUrl(url: string): string {
  let s = String(url);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) {
    const start = scheme[0].length;
    const rest = s.slice(start);
    // The user info ends at the last '@' before the path; a password may itself hold '@' or '/'.
    const at = lastUserInfoAt(rest);
    if (at >= 0) {
      const userInfo = rest.slice(0, at);
      const colon = userInfo.indexOf(':');
      // A '?' or '#' means the '@' is in the query or fragment (e.g. '?user=a@b'), not a user info.
      if (colon >= 0 && !/[?#]/.test(userInfo)) s = s.slice(0, start) + userInfo.slice(0, colon) + ':***' + rest.slice(at);
    }
  }
  return s.replace(/\b(password|passwd|pwd)(\s*=\s*)('(?:[^'\\]|\\.)*'|"[^"]*"|[^&\s;]*)/gi, '$1$2***');
}

/** Index in `rest` (after `scheme://`) of the '@' that ends the user info, or -1. */
function lastUserInfoAt(rest: string): number {
  const first = rest.indexOf('@');
  if (first < 0) return -1;
  // Host part: after the last '@' that comes before the first '/', '?' or '#' following it.
  let at = first;
  for (;;) {
    const next = rest.indexOf('@', at + 1);
    if (next < 0) break;
    const between = rest.slice(at + 1, next);
    // An '@' after a path or query begins (e.g. '?user=a@b') is not part of the user info,
    // unless what lies between looks like more password (no '/', '?', '#').
    if (/[?#]/.test(between)) break;
    at = next;
  }
  return at;
}

/**
 * {@link redactUrl} applied to every URL inside a free text (e.g. a driver's error message), and
 * to its `password=` parameters.
 *
 * @example
 * ```ts
 * redactText('connect ECONNREFUSED for postgres://me:secret@db/x'); // 'connect ECONNREFUSED for postgres://me:***@db/x'
 * ```
 */
export function redactText(text: string): string {
  return String(text).replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, (m) => redactUrl(m)).replace(
    /\b(password|passwd|pwd)(\s*=\s*)('(?:[^'\\]|\\.)*'|"[^"]*"|[^&\s;]*)/gi,
    '$1$2***',
  );
}
