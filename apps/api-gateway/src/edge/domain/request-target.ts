/**
 * Why a request target is refused before routing, or null when it is acceptable. Paths that
 * could climb out of the prefix they were matched under (`..` plain or percent-encoded, encoded
 * slashes or backslashes a later decoder would turn into separators, NUL) never reach an upstream.
 * `opaque`: the tail is data, not a path (OCSP GET's base64).
 */
export function unsafeTargetReason(url: string, options: { opaque?: boolean } = {}): string | null {
  if (url.length === 0 || url[0] !== '/') return 'the request target must be an absolute path';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.includes('\\')) return 'backslashes are not allowed in paths';
  // OCSP GET carries base64 (which has '/' and clients percent-encode it): only dots and NUL matter.
  if (!options.opaque && /%(?:2f|5c|00|25)/i.test(path)) return 'encoded slashes, backslashes, percent signs or NUL are not allowed in paths';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'the path has malformed percent-encoding';
  }
  if (decoded.includes('\0')) return 'NUL is not allowed in paths';
  for (const segment of decoded.split('/')) {
    if (segment === '..' || segment === '.') return 'dot segments (".", "..") are not allowed in paths';
  }
  if (!options.opaque && path.includes('//')) return 'empty path segments are not allowed';
  return null;
}

/** Bytes of all header lines as received (names, values, separators). */
export function headerBytes(rawHeaders: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < rawHeaders.length; i += 1) total += rawHeaders[i].length + 2;
  return total;
}
