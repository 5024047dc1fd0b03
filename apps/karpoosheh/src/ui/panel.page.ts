import { PAGE_API, PAGE_STYLE } from './common.page.js';

/** /panel: an agency signs in with its client credentials, composes a notice, follows a batch. */
export const PANEL_PAGE = `<!doctype html>
<html lang="fa" dir="rtl">
<head><meta charset="utf-8"><title>پنل ارسال کارپوشه</title><style>${PAGE_STYLE}</style></head>
<body>
<header>کارپوشه — پنل دستگاه‌های اجرایی</header>
<main>
  <section id="login">
    <h2>ورود دستگاه</h2>
    <label for="clientId">شناسه کلاینت</label><input id="clientId" autocomplete="username">
    <label for="clientSecret">رمز کلاینت</label><input id="clientSecret" type="password" autocomplete="current-password">
    <button id="signIn">ورود</button>
    <p id="loginError" class="error"></p>
  </section>
  <section id="compose" class="hidden">
    <h2>ارسال ابلاغیه</h2>
    <label for="recipients">گیرندگان (کد ملی یا شناسه ملی، هر خط یکی)</label><textarea id="recipients"></textarea>
    <label for="recipientsFile">یا فایل CSV گیرندگان</label><input id="recipientsFile" type="file" accept=".csv,text/csv">
    <label for="subject">موضوع</label><input id="subject">
    <label for="body">متن</label><textarea id="body"></textarea>
    <label for="category">دسته</label><input id="category" value="general">
    <label for="dueDate">مهلت (اختیاری)</label><input id="dueDate" type="date">
    <label for="files">پیوست‌ها</label><input id="files" type="file" multiple>
    <button id="send">ارسال</button>
    <p id="sendError" class="error"></p>
    <p id="sendResult"></p>
  </section>
  <section id="follow" class="hidden">
    <h2>وضعیت ارسال</h2>
    <p id="batchStatus"></p>
    <table><thead><tr><th>گیرنده</th><th>وضعیت</th><th>زمان مشاهده</th></tr></thead><tbody id="recipientRows"></tbody></table>
    <button id="refresh" class="secondary">به‌روزرسانی</button>
  </section>
</main>
<script>
${PAGE_API}
  let current = null;
  el('signIn').onclick = async () => {
    el('loginError').textContent = '';
    try {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: el('clientId').value, client_secret: el('clientSecret').value });
      const res = await fetch(IDENTITY + '/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error_description || body.error || 'ورود ناموفق');
      window.TOKEN = body.access_token;
      el('login').classList.add('hidden');
      el('compose').classList.remove('hidden');
    } catch (e) { el('loginError').textContent = e.message; }
  };
  el('send').onclick = async () => {
    el('sendError').textContent = ''; el('sendResult').textContent = '';
    try {
      const attachments = [];
      const files = el('files').files;
      if (files.length > 0) {
        const form = new FormData();
        for (const f of files) form.append('file', f, f.name);
        const up = await api('/attachments', { method: 'POST', body: form });
        for (const a of up.attachments) attachments.push({ sha256: a.sha256, filename: a.filename });
      }
      const key = crypto.randomUUID();
      let result;
      const csv = el('recipientsFile').files[0];
      const fields = { subject: el('subject').value, body: el('body').value, category: el('category').value };
      if (el('dueDate').value) fields.dueDate = el('dueDate').value;
      if (csv) {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.set(k, v);
        form.set('attachments', JSON.stringify(attachments));
        form.set('recipientsFile', csv, csv.name);
        result = await api('/notices', { method: 'POST', body: form, headers: { 'idempotency-key': key } });
      } else {
        const recipients = el('recipients').value.split(/[\\s,،;]+/).filter(Boolean);
        result = await api('/notices', { method: 'POST', body: JSON.stringify(Object.assign(fields, { recipients, attachments })), headers: { 'content-type': 'application/json', 'idempotency-key': key } });
      }
      current = result;
      el('sendResult').textContent = 'ثبت شد: ' + result.noticeId + ' (' + result.recipientCount + ' گیرنده)';
      el('follow').classList.remove('hidden');
      await follow();
    } catch (e) { el('sendError').textContent = e.message; }
  };
  async function follow() {
    if (!current) return;
    if (current.batchId) {
      const b = await api('/batches/' + current.batchId);
      el('batchStatus').textContent = 'دسته ' + b.status + ' — ' + b.processed + ' از ' + b.total + ' (تحویل ' + b.delivered + '، ناموفق ' + b.failed + ')';
    } else el('batchStatus').textContent = 'تحویل مستقیم';
    const page = await api('/notices/' + current.noticeId + '/recipients?limit=100');
    el('recipientRows').innerHTML = page.items.map((r) => '<tr data-recipient="' + esc(r.recipientId) + '"><td>' + esc(r.recipientId) + '</td><td class="state">' + esc(r.state) + '</td><td>' + esc(r.readAt || '') + '</td></tr>').join('');
  }
  el('refresh').onclick = () => follow().catch((e) => { el('sendError').textContent = e.message; });
</script>
</body></html>`;
