// The applicant's and the expert's screens: small static pages over the same APIs (no CDN, no
// build step). Tokens are given in the page (or as #token=… in the URL); every call is the API's.
const STYLE = `body{font-family:Vazirmatn,Tahoma,"DejaVu Sans",sans-serif;margin:1.5rem;max-width:60rem;line-height:1.7}
fieldset{margin:.8rem 0;border:1px solid #bbb;border-radius:6px}label{display:block;margin:.3rem 0}input,select,textarea{font:inherit;min-width:16rem}
button{font:inherit;margin:.2rem;padding:.2rem .8rem}#problem{color:#a00}#deficiencies li{color:#a40}.ok{color:#070}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}`;

const COMMON = `const $=(s)=>document.querySelector(s);
const token=()=>$('#token').value.trim();
async function api(method,path,body,isForm){const h={authorization:'Bearer '+token()};if(body!==undefined&&!isForm)h['content-type']='application/json';
const r=await fetch(path,{method,headers:h,body:body===undefined?undefined:(isForm?body:JSON.stringify(body))});const t=await r.text();return{status:r.status,body:t?JSON.parse(t):null};}
function showProblem(p){$('#problem').textContent=p?(p.detail+(p.hint?' — '+p.hint:'')):'';}
const m=location.hash.match(/token=([^&]+)/);if(m)document.addEventListener('DOMContentLoaded',()=>{$('#token').value=decodeURIComponent(m[1]);});`;

export const PORTAL_HTML = `<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>درخواست سرویس از GSB/PGSB</title><style>${STYLE}</style></head><body>
<h1>ثبت درخواست دریافت سرویس از مراکز تبادل اطلاعات</h1>
<label>توکن دسترسی دستگاه <input id="token" dir="ltr"></label>
<fieldset><legend>۱. نوع درخواست</legend>
<label>محیط <select id="environment"><option value="GSB">GSB</option><option value="PGSB">PGSB</option></select></label>
<button id="start">شروع درخواست</button> <span id="requestId" dir="ltr"></span> وضعیت: <b id="state">—</b></fieldset>
<p id="problem" role="alert"></p>
<fieldset id="form" disabled><legend>۲. اطلاعات درخواست</legend>
<label>نام سامانه <input id="systemName"></label><label>کاربرد سامانه <input id="systemPurpose"></label><label>IP سرور <input id="systemIp" dir="ltr"></label>
<label>شماره نامهٔ مجوز <input id="letterNumber"></label><label>تاریخ نامه <input id="letterDate" type="date"></label>
<label>تصویر نامه <input id="letterFile" type="file" accept="application/pdf,image/*"></label>
<label>سرویس <select id="serviceCode"><option value="">— انتخاب —</option></select></label>
<label>نام رابط فنی <input id="contactName"></label><label>ایمیل <input id="contactEmail" dir="ltr"></label><label>تلفن <input id="contactPhone" dir="ltr"></label>
<button id="save">ذخیره و بررسی</button></fieldset>
<h2>کمبودها</h2><ul id="deficiencies"></ul><p id="complete"></p>
<button id="submit" disabled>ارسال به کارشناس</button>
<script>${COMMON}
let id=null;const services={};
async function loadCatalog(){const r=await api('GET','/catalog/services?limit=100&status=ACTIVE');if(r.status!==200)return;for(const s of r.body.items){services[s.code]=s;const o=document.createElement('option');o.value=s.code;o.textContent=s.title+' ('+s.code+')';$('#serviceCode').append(o);}}
async function refresh(){const r=await api('GET','/requests/'+id+'/deficiencies');const ul=$('#deficiencies');ul.innerHTML='';
for(const d of r.body.deficiencies){const li=document.createElement('li');li.dataset.code=d.code;li.textContent=d.message;ul.append(li);}
$('#complete').textContent=r.body.complete?'درخواست کامل است.':'';$('#complete').className=r.body.complete?'ok':'';$('#submit').disabled=!r.body.complete;}
$('#start').onclick=async()=>{showProblem(null);await loadCatalog();const r=await api('POST','/requests',{environment:$('#environment').value});
if(r.status!==201){showProblem(r.body);return;}id=r.body.id;$('#requestId').textContent=id;$('#state').textContent=r.body.state;$('#form').disabled=false;await refresh();};
$('#save').onclick=async()=>{showProblem(null);const code=$('#serviceCode').value||null;const v=(s)=>$(s).value.trim()||null;
const r=await api('PATCH','/requests/'+id,{environment:$('#environment').value,serviceCode:code,system:{name:v('#systemName'),purpose:v('#systemPurpose'),ipAddresses:v('#systemIp')?[v('#systemIp')]:[]},
letter:{number:v('#letterNumber'),date:v('#letterDate'),issuingAgencyId:code&&services[code]?services[code].providerAgencyId:null},contact:{name:v('#contactName'),email:v('#contactEmail'),phone:v('#contactPhone')}});
if(r.status!==200){showProblem(r.body);return;}const f=$('#letterFile').files[0];if(f){const fd=new FormData();fd.append('file',f,f.name);const u=await api('PUT','/requests/'+id+'/letter-file',fd,true);if(u.status!==200)showProblem(u.body);}
await refresh();};
$('#submit').onclick=async()=>{const r=await api('POST','/requests/'+id+'/submit',{});if(r.status!==200){showProblem(r.body);return;}$('#state').textContent=r.body.state;$('#submit').disabled=true;$('#form').disabled=true;};
</script></body></html>`;

export const REVIEW_HTML = `<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>کارتابل کارشناس</title><style>${STYLE}</style></head><body>
<h1>بررسی درخواست‌های سرویس (کارشناس)</h1>
<label>توکن دسترسی کارشناس <input id="token" dir="ltr"></label> <button id="load">بارگذاری صف</button>
<p id="problem" role="alert"></p>
<table><thead><tr><th>شناسه</th><th>سرویس</th><th>محیط</th><th>وضعیت</th><th>مهلت تخصیص</th><th>اولویت</th></tr></thead><tbody id="queue"></tbody></table>
<fieldset id="panel" disabled><legend>درخواست انتخاب‌شده: <span id="selected" dir="ltr"></span> — <b id="state"></b></legend>
<button id="claim">برداشتن</button>
<label><input type="checkbox" id="qualified" checked style="min-width:0"> واجد صلاحیت</label>
<label>اولویت <select id="priority"><option>LOW</option><option selected>NORMAL</option><option>HIGH</option><option>URGENT</option></select></label>
<label>یادداشت <input id="notes"></label><button id="evaluate">ثبت ارزیابی</button>
<label>موارد اصلاح (هر سطر: فیلد: توضیح) <textarea id="fixes"></textarea></label><button id="return">بازگشت برای اصلاح</button>
<label>دلیل رد <input id="reason"></label><button id="reject">رد</button>
<button id="approve">تأیید</button></fieldset>
<script>${COMMON}
let id=null;
function setState(r){if(r.status!==200){showProblem(r.body);return false;}showProblem(null);$('#state').textContent=r.body.state;return true;}
$('#load').onclick=async()=>{const r=await api('GET','/review/queue?limit=100');if(r.status!==200){showProblem(r.body);return;}const tb=$('#queue');tb.innerHTML='';
for(const q of r.body.items){const tr=document.createElement('tr');tr.dataset.id=q.id;for(const v of [q.id.slice(0,8),q.serviceCode||'اتصال',q.environment||(q.connectionEnvironments||[]).join('+'),q.state,q.claimDueAt?new Date(q.claimDueAt).toLocaleString('fa-IR'):'',q.priority||''])
{const td=document.createElement('td');td.textContent=v;tr.append(td);}tr.onclick=()=>{id=q.id;$('#selected').textContent=q.id;$('#state').textContent=q.state;$('#panel').disabled=false;};tb.append(tr);}};
const act=(path,body)=>async()=>{document.body.dataset.done='';setState(await api(path==='evaluation'?'PUT':'POST','/review/'+id+'/'+path,body()));document.body.dataset.done=path;};
$('#claim').onclick=act('claim',()=>({}));
$('#evaluate').onclick=act('evaluation',()=>({qualified:$('#qualified').checked,priority:$('#priority').value,notes:$('#notes').value}));
$('#return').onclick=act('return',()=>({fixes:$('#fixes').value.split('\\n').filter(Boolean).map((l)=>{const i=l.indexOf(':');return{field:i>0?l.slice(0,i).trim():'general',message:(i>0?l.slice(i+1):l).trim()};})}));
$('#reject').onclick=act('reject',()=>({reason:$('#reason').value}));
$('#approve').onclick=act('approve',()=>({}));
</script></body></html>`;
