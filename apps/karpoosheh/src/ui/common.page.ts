/** Shared look of the two pages: Vazirmatn-free (no CDN): system fonts that carry Persian. */
export const PAGE_STYLE = `
  body { font-family: Tahoma, "DejaVu Sans", "Noto Sans Arabic", sans-serif; margin: 0; background: #f4f6f8; color: #1d2733; }
  header { background: #0b5394; color: #fff; padding: 12px 20px; font-size: 18px; }
  main { max-width: 920px; margin: 16px auto; padding: 0 12px; }
  section { background: #fff; border-radius: 8px; padding: 16px; margin-bottom: 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  label { display: block; margin: 8px 0 4px; font-weight: bold; }
  input, textarea, select { width: 100%; box-sizing: border-box; padding: 8px; font: inherit; border: 1px solid #c5ced8; border-radius: 4px; }
  textarea { min-height: 90px; }
  button { background: #0b5394; color: #fff; border: 0; border-radius: 4px; padding: 8px 16px; font: inherit; cursor: pointer; margin-top: 10px; }
  button.secondary { background: #5f6b7a; }
  .error { color: #b00020; white-space: pre-wrap; }
  .muted { color: #5f6b7a; font-size: 13px; }
  table { width: 100%; border-collapse: collapse; } td, th { border-bottom: 1px solid #e2e7ec; padding: 6px; text-align: right; }
  .unread { font-weight: bold; } .badge { background: #d93025; color: #fff; border-radius: 10px; padding: 0 8px; font-size: 13px; }
  .hidden { display: none; } li { margin: 4px 0; }
`;

/** Fetch helper of both pages: JSON in and out, problem+json detail shown as the error text. */
export const PAGE_API = `
  async function api(path, options = {}) {
    const headers = Object.assign({ accept: 'application/json' }, options.headers || {});
    if (window.TOKEN) headers.authorization = 'Bearer ' + window.TOKEN;
    const res = await fetch(path, Object.assign({}, options, { headers }));
    const text = await res.text();
    let body = null; try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
    if (!res.ok) {
      const detail = body && body.detail ? body.detail + (body.errors ? '\\n' + body.errors.map((e) => e.field + ': ' + e.message).join('\\n') : '') : ('HTTP ' + res.status);
      throw new Error(detail);
    }
    return body;
  }
  function el(id) { return document.getElementById(id); }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]); }
  const IDENTITY = __IDENTITY_URL__;
`;
