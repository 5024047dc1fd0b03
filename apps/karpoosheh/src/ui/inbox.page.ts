import { PAGE_API, PAGE_STYLE } from './common.page.js';

/** /inbox: a citizen signs in with the OTP login, reads (unread first), searches, opens, downloads. */
export const INBOX_PAGE = `<!doctype html>
<html lang="fa" dir="rtl">
<head><meta charset="utf-8"><title>کارپوشه من</title><style>${PAGE_STYLE}</style></head>
<body>
<header>کارپوشه — صندوق ابلاغیه‌های من <span id="unread" class="badge hidden"></span></header>
<main>
  <section id="login">
    <h2>ورود شهروند</h2>
    <label for="nationalCode">کد ملی</label><input id="nationalCode" inputmode="numeric">
    <button id="requestOtp">دریافت رمز یکبار مصرف</button>
    <div id="otpStep" class="hidden">
      <label for="otp">رمز یکبار مصرف</label><input id="otp" inputmode="numeric">
      <button id="verifyOtp">ورود</button>
    </div>
    <p id="loginError" class="error"></p>
  </section>
  <section id="list" class="hidden">
    <label for="search">جستجو در موضوع</label><input id="search">
    <button id="doSearch" class="secondary">جستجو</button>
    <ul id="items"></ul>
  </section>
  <section id="reader" class="hidden">
    <h2 id="readSubject"></h2>
    <p class="muted" id="readMeta"></p>
    <div id="readBody"></div>
    <ul id="readAttachments"></ul>
    <button id="back" class="secondary">بازگشت</button>
  </section>
</main>
<script>
${PAGE_API}
  el('requestOtp').onclick = async () => {
    el('loginError').textContent = '';
    try {
      const res = await fetch(IDENTITY + '/citizens/otp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nationalCode: el('nationalCode').value }) });
      if (!res.ok) throw new Error((await res.json()).detail || 'ارسال رمز ناموفق');
      el('otpStep').classList.remove('hidden');
    } catch (e) { el('loginError').textContent = e.message; }
  };
  el('verifyOtp').onclick = async () => {
    el('loginError').textContent = '';
    try {
      const res = await fetch(IDENTITY + '/citizens/otp/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nationalCode: el('nationalCode').value, code: el('otp').value }) });
      const body = await res.json();
      if (!res.ok) throw new Error(body.detail || 'ورود ناموفق');
      window.TOKEN = body.access_token;
      el('login').classList.add('hidden');
      el('list').classList.remove('hidden');
      await load();
    } catch (e) { el('loginError').textContent = e.message; }
  };
  async function load() {
    const q = el('search').value.trim();
    const page = await api('/inbox?limit=50' + (q ? '&q=' + encodeURIComponent(q) : ''));
    // Unread first, each group newest first (the API's order).
    const items = page.items.filter((i) => !i.readAt).concat(page.items.filter((i) => i.readAt));
    el('items').innerHTML = items.map((i) => '<li class="item ' + (i.readAt ? '' : 'unread') + '" data-id="' + esc(i.noticeId) + '"><a href="#" data-open="' + esc(i.noticeId) + '">' + esc(i.subject) + '</a> <span class="muted">' + esc(i.sender.name || '') + ' — ' + esc(new Date(i.receivedAt).toLocaleDateString('fa-IR')) + '</span></li>').join('') || '<li class="muted">ابلاغیه‌ای نیست</li>';
    const count = await api('/inbox/unread-count');
    el('unread').textContent = count.unread; el('unread').classList.toggle('hidden', count.unread === 0);
  }
  el('items').onclick = async (ev) => {
    const id = ev.target.getAttribute && ev.target.getAttribute('data-open');
    if (!id) return;
    ev.preventDefault();
    const n = await api('/inbox/' + id);
    el('readSubject').textContent = n.subject;
    el('readMeta').textContent = (n.sender.name || '') + ' — مشاهده در ' + new Date(n.readAt).toLocaleString('fa-IR');
    // HTML bodies were sanitised by the service when sent; plain text is shown as text.
    if (n.bodyFormat === 'html') el('readBody').innerHTML = n.body; else el('readBody').textContent = n.body;
    el('readAttachments').innerHTML = n.attachments.map((a) => '<li><a href="#" data-download="' + esc(a.url) + '" data-name="' + esc(a.filename) + '">' + esc(a.filename) + '</a> <span class="muted">' + a.size + ' بایت</span></li>').join('');
    el('list').classList.add('hidden'); el('reader').classList.remove('hidden');
  };
  el('readAttachments').onclick = async (ev) => {
    const url = ev.target.getAttribute && ev.target.getAttribute('data-download');
    if (!url) return;
    ev.preventDefault();
    const res = await fetch(url, { headers: { authorization: 'Bearer ' + window.TOKEN } });
    const blob = await res.blob();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob); a.download = ev.target.getAttribute('data-name'); document.body.appendChild(a); a.click(); a.remove();
  };
  el('back').onclick = async () => { el('reader').classList.add('hidden'); el('list').classList.remove('hidden'); await load(); };
  el('doSearch').onclick = () => load();
</script>
</body></html>`;
