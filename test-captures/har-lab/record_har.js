#!/usr/bin/env node
'use strict';
/*
 * Records real Chromium HAR files of Outlook-on-the-web-like free/busy lookups.
 *
 *   cd test-captures/har-lab && npm ci && node record_har.js [--no-h2] [--only-h2] [--keep-events]
 *
 * Writes owa-freebusy.har (HTTP/1.1, http://127.0.0.1) and owa-freebusy-h2.har (HTTP/2 over TLS,
 * https://127.0.0.1, self-signed cert made by openssl into ./tls/). --keep-events also writes the raw
 * DevTools events next to each HAR (*.events.json). CHROMIUM=/path overrides /usr/bin/chromium.
 *
 * HAR building: chrome-har turns the DevTools Network/Page events into a HAR; this script then
 *   - fetches every response body with Network.getResponseBody (binary bodies keep encoding:"base64";
 *     gzip bodies come back decoded, as text),
 *   - puts the raw request body into request.postData.text (chrome-har turns a JSON body into
 *     postData.params and drops .text),
 *   - takes request headers and cookies from Network.requestWillBeSentExtraInfo (the wire headers) by
 *     requestId: chrome-har concatenates them onto the renderer's headers (duplicates) and loses them
 *     when the ExtraInfo event arrives before requestWillBeSent (it does, now and then),
 *   - recomputes request.headersSize (HTTP/1.x, estimated from the wire headers), content.size (decoded
 *     bytes), content.compression, and response.cookies from Set-Cookie (chrome-har leaves it empty),
 *   - adds the requests that failed (Network.loadingFailed other than net::ERR_ABORTED), which chrome-har
 *     silently drops, as DevTools' HAR export writes them: response.status 0, response._error = errorText,
 *     serverIPAddress "" and connection "", all of the time in timings.blocked.
 * Exit status 0 only when the checks at the end (5 POSTs with statuses 200,200,0,200,500, postData.text,
 * content.text, one _error entry, a base64 body, the fields every entry needs) pass for every run.
 */
const fs = require('fs');
const path = require('path');
const http = require('http');
const http2 = require('http2');
const zlib = require('zlib');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const puppeteer = require('puppeteer-core');
const { owaRequest, owaResponse, SCENARIOS, OWA_500_BODY } = require('./owa');

const DIR = __dirname;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const args = new Set(process.argv.slice(2));
const OWA_PATH = '/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&AC=1&ID=';
const CANARY = 'X2f7Zg8yQkW1Jd0cAAAAAA.owa-lab-canary';
// 1x1 transparent PNG: a binary body, so the HAR shows content.encoding "base64".
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function pageHtml() {
  // The page's own JS builds the OWA JSON (same shape as ewsbodies.owa_request) and posts it with fetch().
  const plan = SCENARIOS.map(s => ({ step: s.step, name: s.name, mailboxes: s.mailboxes }));
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Outlook</title><link rel="icon" href="data:,"></head>
<body><img src="/owa/resources/logo.png" alt="logo" width="1" height="1"><pre id="log"></pre>
<script>
${owaRequest.toString()}
const plan = ${JSON.stringify(plan)};
function canary() { const m = document.cookie.match(/(?:^|; )X-OWA-CANARY=([^;]*)/); return m ? m[1] : ''; }
async function run() {
  const results = [];
  let id = -38;
  for (const s of plan) {
    const r = { step: s.step, name: s.name };
    try {
      const resp = await fetch(${JSON.stringify(OWA_PATH)} + id, {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Action': 'GetUserAvailabilityInternal',
                   'X-OWA-CANARY': canary(), 'X-OWA-ActionName': 'GetUserAvailabilityInternalAction',
                   'X-OWA-ActionId': String(id), 'X-Requested-With': 'XMLHttpRequest',
                   'X-AnchorMailbox': 'x1@contoso.com' },
        body: JSON.stringify(owaRequest(s.mailboxes)),
      });
      r.status = resp.status;
      const j = await resp.json();
      r.responses = (j.Body.Responses || []).map(x => x.ResponseMessage.ResponseCode);
      if (!j.Body.Responses) r.code = j.Body.ResponseCode;
    } catch (e) { r.error = String(e); }
    results.push(r);
    document.getElementById('log').textContent += JSON.stringify(r) + '\\n';
    id--;
  }
  window.__owaDone = results;
}
window.addEventListener('load', () => setTimeout(run, 50));
</script></body></html>`;
}

// ---------------------------------------------------------------- the OWA-like server
function makeHandler(proto, serverLog, resetSocket) {
  return (req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const u = new URL(req.url, 'http://x');
      const rec = { proto, method: req.method, url: req.url, remotePort: req.socket.remotePort,
                    httpVersion: req.httpVersion, bodyBytes: chunks.reduce((a, c) => a + c.length, 0) };
      serverLog.push(rec);
      const h1 = proto === 'h1';
      const common = { 'Cache-Control': 'private', 'X-FEServer': 'EXA01', 'X-BEServer': 'EXA01',
                       'request-id': crypto.randomUUID(), 'X-OWA-Version': '15.2.1118.40' };
      if (h1) common.Connection = 'close'; // a fresh TCP connection for every request (forbidden in h2)
      // chunked: leave Content-Length out (HTTP/1.1 then sends Transfer-Encoding: chunked)
      const send = (status, headers, payload, chunked = false) => {
        rec.status = status;
        const h = { ...common, ...headers };
        if (!chunked) h['Content-Length'] = Buffer.byteLength(payload);
        res.writeHead(status, h);
        res.end(payload);
      };

      if (req.method === 'GET' && (u.pathname === '/owa/' || u.pathname === '/owa')) {
        return send(200, { 'Content-Type': 'text/html; charset=utf-8',
                           'Set-Cookie': `X-OWA-CANARY=${CANARY}; path=/owa; SameSite=Lax` }, pageHtml(), true);
      }
      if (req.method === 'GET' && u.pathname === '/owa/resources/logo.png') {
        return send(200, { 'Content-Type': 'image/png' }, PNG);
      }
      if (req.method === 'POST' && u.pathname === '/owa/service.svc' &&
          u.searchParams.get('action') === 'GetUserAvailabilityInternal') {
        let first = '';
        try { first = JSON.parse(body).request.Body.MailboxDataArray[0].Email.Address; } catch (e) { /* bad JSON */ }
        rec.action = req.headers['action']; rec.first = first;
        const sc = SCENARIOS.find(s => s.mailboxes[0] === first);
        const json = { 'Content-Type': 'application/json; charset=utf-8' };
        if (!sc) return send(400, json, JSON.stringify(OWA_500_BODY));
        rec.scenario = sc.name;
        switch (sc.name) {
          case 'tcp-reset':
            rec.status = 'RST';
            return resetSocket(req);
          case 'gzip': {
            const gz = zlib.gzipSync(Buffer.from(JSON.stringify(owaResponse(sc.results))));
            return send(200, { ...json, 'Content-Encoding': 'gzip', 'Vary': 'Accept-Encoding' }, gz);
          }
          case 'http-500':
            return send(500, { ...json, 'X-OWA-Error': 'Microsoft.Exchange.Services.Core.Types.InternalServerErrorException' },
                        JSON.stringify(OWA_500_BODY));
          default:
            return send(200, json, JSON.stringify(owaResponse(sc.results)), sc.name === 'ok');
        }
      }
      send(404, { 'Content-Type': 'text/plain' }, 'not found');
    });
  };
}

function startH1(serverLog) {
  const srv = http.createServer(makeHandler('h1', serverLog, req => req.socket.resetAndDestroy()));
  return new Promise(r => srv.listen(0, '127.0.0.1', () => r(srv)));
}

function ensureCert() {
  const dir = path.join(DIR, 'tls');
  const key = path.join(dir, 'key.pem'), cert = path.join(dir, 'cert.pem');
  if (!fs.existsSync(key) || !fs.existsSync(cert)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
      '-days', '3650', '-subj', '/CN=mail.contoso.com',
      '-addext', 'subjectAltName=DNS:mail.contoso.com,DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  }
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

function startH2(serverLog) {
  // RST of the TCP connection under TLS+h2: keep the raw TCP sockets, find the one by client port.
  const raw = new Map();
  const reset = req => {
    const sock = raw.get(req.socket.remotePort); // the net.Socket under the TLSSocket keeps its TCP handle
    if (sock) sock.resetAndDestroy(); else req.stream.session.destroy();
  };
  const srv = http2.createSecureServer({ ...ensureCert(), allowHTTP1: false }, makeHandler('h2', serverLog, reset));
  srv.on('connection', s => { raw.set(s.remotePort, s); s.on('close', () => raw.delete(s.remotePort)); });
  return new Promise(r => srv.listen(0, '127.0.0.1', () => r(srv)));
}

// ---------------------------------------------------------------- recording
const OBSERVE = new Set([
  'Page.loadEventFired', 'Page.domContentEventFired', 'Page.frameStartedLoading', 'Page.frameAttached',
  'Page.frameRequestedNavigation', 'Page.navigatedWithinDocument',
  'Network.requestWillBeSent', 'Network.requestWillBeSentExtraInfo', 'Network.requestServedFromCache',
  'Network.responseReceived', 'Network.responseReceivedExtraInfo', 'Network.dataReceived',
  'Network.loadingFinished', 'Network.loadingFailed', 'Network.resourceChangedPriority',
]);

const ms = x => Number(Number(x).toFixed(3));

async function record(baseUrl, harFile, extraArgs) {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-domain-reliability', '--disable-sync',
           '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', ...extraArgs],
  });
  const version = await browser.version();
  const page = await browser.newPage();
  const client = await page.createCDPSession();
  const events = [];
  const pending = [];
  const postData = new Map(); // requestId -> raw body
  const responses = new Map(); // requestId -> responseReceived params
  for (const method of OBSERVE) {
    client.on(method, params => {
      events.push({ method, params });
      if (method === 'Network.requestWillBeSent') {
        const rq = params.request;
        if (typeof rq.postData === 'string') postData.set(params.requestId, rq.postData);
        else if (rq.hasPostData) {
          pending.push(client.send('Network.getRequestPostData', { requestId: params.requestId })
            .then(r => postData.set(params.requestId, r.postData)).catch(() => {}));
        }
      } else if (method === 'Network.responseReceived') {
        responses.set(params.requestId, params);
      } else if (method === 'Network.loadingFinished') {
        const rr = responses.get(params.requestId);
        pending.push(client.send('Network.getResponseBody', { requestId: params.requestId }).then(b => {
          if (!rr) return;
          rr.response.body = b.body;
          if (b.base64Encoded) rr.response.encoding = 'base64';
        }).catch(e => { if (rr) rr.response.__bodyError = e.message; }));
      }
    });
  }
  await client.send('Page.enable');
  await client.send('Network.enable', { maxPostDataSize: 1 << 20 });
  await client.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(baseUrl + '/owa/', { waitUntil: 'load' });
  await page.waitForFunction('window.__owaDone', { timeout: 30000 });
  const pageResults = await page.evaluate('window.__owaDone');
  await new Promise(r => setTimeout(r, 300));
  await Promise.all(pending);
  await browser.close();

  const { harFromMessages } = await import('chrome-har');
  const har = harFromMessages(events, { includeTextFromResponseBody: true });
  har.log.creator = { name: 'owa-harlab record_har.js (chrome-har 1.3.1 + puppeteer-core 24.43.1)', version: '1.0' };
  har.log.browser = { name: 'Chromium', version: version.replace(/^.*\//, '') };
  fixupEntries(har, events, postData);
  fs.writeFileSync(harFile, JSON.stringify(har, null, 2) + '\n');
  if (args.has('--keep-events')) fs.writeFileSync(harFile.replace(/\.har$/, '.events.json'), JSON.stringify(events, null, 1));
  return { har, pageResults, version };
}

function wireHeaders(events, requestId) {
  const x = events.find(e => e.method === 'Network.requestWillBeSentExtraInfo' && e.params.requestId === requestId);
  return x && x.params.headers ? Object.entries(x.params.headers).map(([name, value]) => ({ name, value })) : null;
}

// Request cookies the way chrome-har writes them, from requestWillBeSentExtraInfo.associatedCookies
// (chrome-har reads CDP's expires, seconds or -1, as milliseconds: a session cookie gets 1969-12-31T23:59:59.999Z;
// kept as is, that is what chrome-har HARs in the wild carry).
function requestCookies(events, requestId) {
  const xi = events.find(e => e.method === 'Network.requestWillBeSentExtraInfo' && e.params.requestId === requestId);
  return ((xi && xi.params.associatedCookies) || [])
    .filter(c => !c.blockedReasons || c.blockedReasons.length === 0)
    .map(({ cookie: c }) => ({ name: c.name, value: c.value, path: c.path || undefined, domain: c.domain || undefined,
                               expires: new Date(c.expires).toISOString(), httpOnly: c.httpOnly, secure: c.secure }));
}

function parseSetCookie(line) {
  const [nv, ...attrs] = line.split(/;\s*/);
  const i = nv.indexOf('=');
  const c = { name: nv.slice(0, i), value: nv.slice(i + 1) };
  for (const a of attrs) {
    const [k, ...rest] = a.split('='); const val = rest.join('='); const kl = k.toLowerCase();
    if (kl === 'path') c.path = val; else if (kl === 'domain') c.domain = val;
    else if (kl === 'expires') c.expires = new Date(val).toISOString();
    else if (kl === 'httponly') c.httpOnly = true; else if (kl === 'secure') c.secure = true;
    else if (kl === 'samesite') c.sameSite = val;
  }
  c.httpOnly = !!c.httpOnly; c.secure = !!c.secure;
  return c;
}

function fixupEntries(har, events, postData) {
  const byId = new Map(har.log.entries.map(e => [e._requestId, e]));
  const page = har.log.pages[0];
  const firstSent = events.find(e => e.method === 'Network.requestWillBeSent');
  // 1. per entry, from the DevTools events rather than chrome-har's order-dependent merging:
  //    request headers = wire headers, request cookies, request headersSize (HTTP/1.x: estimated from the
  //    wire headers, CDP no longer gives the request's header text), postData.text = the raw body,
  //    content.size = decoded body bytes, content.compression, response cookies from Set-Cookie.
  for (const entry of har.log.entries) {
    const wh = wireHeaders(events, entry._requestId);
    if (wh) entry.request.headers = wh;
    entry.request.cookies = requestCookies(events, entry._requestId);
    const v = entry.request.httpVersion || '';
    if (/^http\/1\./i.test(v)) {
      const u = new URL(entry.request.url);
      entry.request.headersSize = Buffer.byteLength(`${entry.request.method} ${u.pathname}${u.search} ${v.toUpperCase()}\r\n` +
        entry.request.headers.map(h => `${h.name}: ${h.value}\r\n`).join('') + '\r\n');
    }
    const body = postData.get(entry._requestId);
    if (body !== undefined) {
      const ct = (entry.request.headers.find(h => h.name.toLowerCase() === 'content-type') || {}).value || '';
      entry.request.postData = { mimeType: ct, text: body };
      entry.request.bodySize = Buffer.byteLength(body);
    }
    const rsp = entry.response;
    if (rsp && rsp.content && rsp.content.text !== undefined) {
      const c = rsp.content;
      c.size = c.encoding === 'base64' ? Buffer.from(c.text, 'base64').length : Buffer.byteLength(c.text);
      const comp = rsp.bodySize >= 0 ? c.size - rsp.bodySize : 0;
      if (comp > 0) c.compression = comp; else delete c.compression;
    }
    if (rsp && rsp.headers && (!rsp.cookies || rsp.cookies.length === 0)) {
      rsp.cookies = rsp.headers.filter(h => h.name.toLowerCase() === 'set-cookie')
        .flatMap(h => h.value.split('\n')).map(parseSetCookie);
    }
  }
  // 2. failed requests (chrome-har drops them): build them as DevTools' HAR export does
  for (const f of events.filter(e => e.method === 'Network.loadingFailed')) {
    const p = f.params;
    if (byId.has(p.requestId) || p.errorText === 'net::ERR_ABORTED') continue;
    const sent = events.find(e => e.method === 'Network.requestWillBeSent' && e.params.requestId === p.requestId);
    if (!sent) continue;
    const rq = sent.params.request;
    const url = new URL(rq.url);
    const headers = wireHeaders(events, p.requestId) ||
      Object.entries(rq.headers).map(([name, value]) => ({ name, value }));
    const body = postData.get(p.requestId);
    const ct = (headers.find(h => h.name.toLowerCase() === 'content-type') || {}).value || '';
    const started = firstSent.params.wallTime + (sent.params.timestamp - firstSent.params.timestamp);
    const elapsed = ms((p.timestamp - sent.params.timestamp) * 1000);
    const entry = {
      cache: {},
      startedDateTime: new Date(started * 1000).toISOString(),
      _requestId: p.requestId,
      _initialPriority: rq.initialPriority,
      _priority: rq.initialPriority,
      pageref: page ? page.id : undefined,
      request: {
        method: rq.method, url: rq.url, httpVersion: '',
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
        headersSize: -1, bodySize: body === undefined ? 0 : Buffer.byteLength(body),
        cookies: [], headers,
        ...(body === undefined ? {} : { postData: { mimeType: ct, text: body } }),
      },
      time: elapsed,
      _initiator_type: sent.params.initiator && sent.params.initiator.type,
      _resourceType: sent.params.type ? sent.params.type.toLowerCase() : undefined,
      response: {
        status: 0, statusText: '', httpVersion: '', headers: [], cookies: [],
        content: { size: 0, mimeType: 'x-unknown' },
        redirectURL: '', headersSize: -1, bodySize: -1, _transferSize: 0,
        _error: p.errorText,
      },
      serverIPAddress: '',
      connection: '',
      // no ResourceTiming reaches DevTools for a request that got no response: all time is "blocked"
      timings: { blocked: elapsed, dns: -1, connect: -1, send: 0, wait: 0, receive: 0, ssl: -1 },
      _failed: { canceled: p.canceled, corsErrorStatus: p.corsErrorStatus, blockedReason: p.blockedReason },
    };
    entry.request.cookies = requestCookies(events, p.requestId);
    har.log.entries.push(entry);
  }
  har.log.entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
}

// ---------------------------------------------------------------- checks and summary
function summarize(label, har, serverLog, pageResults) {
  const lines = [`== ${label}: ${har.log.entries.length} entries`];
  for (const e of har.log.entries) {
    const u = new URL(e.request.url);
    const c = e.response.content || {};
    lines.push(`  ${e.request.method} ${u.pathname}${u.search.replace(/action=GetUserAvailabilityInternal/, 'a=GUAI')} ` +
      `status=${e.response.status} http=${e.response.httpVersion || e.request.httpVersion || '""'} ` +
      `_error=${e.response._error || '-'} ip=${e.serverIPAddress} conn=${e.connection} ` +
      `postData.text=${e.request.postData && e.request.postData.text !== undefined ? e.request.postData.text.length + 'B' : '-'} ` +
      `content.text=${c.text !== undefined ? c.text.length + 'ch' : '-'}${c.encoding ? ' enc=' + c.encoding : ''} ` +
      `time=${e.time} timings=${JSON.stringify(e.timings)}`);
    lines.push(`     req hdrs: ${e.request.headers.map(h => h.name).join(',')}`);
    lines.push(`     rsp hdrs: ${e.response.headers.map(h => h.name).join(',')}`);
  }
  lines.push(`  page fetch results: ${JSON.stringify(pageResults)}`);
  lines.push(`  server saw: ${serverLog.map(r => `${r.method} ${r.url.split('?')[0]} port=${r.remotePort} ${r.scenario || ''}=>${r.status}`).join(' | ')}`);
  return lines.join('\n');
}

function check(har, h2) {
  const errs = [];
  const ents = har.log.entries;
  const posts = ents.filter(e => e.request.method === 'POST');
  if (posts.length !== 5) errs.push(`expected 5 POST entries, got ${posts.length}`);
  for (const e of ents) {
    for (const k of ['startedDateTime', 'time', 'timings', 'serverIPAddress', 'connection']) {
      if (e[k] === undefined) errs.push(`${e.request.url}: no ${k}`);
    }
  }
  for (const e of posts) if (!e.request.postData || !e.request.postData.text) errs.push(`${e.request.url}: no postData.text`);
  const reset = posts.filter(e => e.response._error);
  if (reset.length !== 1 || reset[0].response.status !== 0) errs.push('no single failed entry with status 0 and _error');
  else if (!h2 && reset[0].response._error !== 'net::ERR_CONNECTION_RESET') errs.push(`reset entry _error=${reset[0].response._error}`);
  for (const e of posts.filter(e => e.response.status > 0)) if (!e.response.content.text) errs.push(`${e.request.url}: no content.text`);
  const statuses = posts.map(e => e.response.status).join(',');
  if (statuses !== '200,200,0,200,500') errs.push(`POST statuses ${statuses}`);
  if (!ents.some(e => e.response.content && e.response.content.encoding === 'base64')) errs.push('no base64 content');
  return errs;
}

async function main() {
  const runs = [];
  if (!args.has('--only-h2')) runs.push({ label: 'HTTP/1.1', file: 'owa-freebusy.har', h2: false });
  if (!args.has('--no-h2')) runs.push({ label: 'HTTP/2 (TLS)', file: 'owa-freebusy-h2.har', h2: true });
  let bad = 0;
  for (const run of runs) {
    const serverLog = [];
    const srv = run.h2 ? await startH2(serverLog) : await startH1(serverLog);
    const base = `${run.h2 ? 'https' : 'http'}://127.0.0.1:${srv.address().port}`;
    const out = path.join(DIR, '..', run.file);
    try {
      const { har, pageResults, version } = await record(base, out, run.h2 ? ['--ignore-certificate-errors'] : []);
      console.log(`${summarize(`${run.label} ${base} ${version} -> ${out}`, har, serverLog, pageResults)}`);
      const errs = check(har, run.h2);
      if (errs.length) { bad++; console.log('  CHECK FAILED:\n   ' + errs.join('\n   ')); } else console.log('  checks: ok');
    } finally {
      if (srv.closeAllConnections) srv.closeAllConnections();
      srv.close();
    }
  }
  process.exitCode = bad ? 1 : 0;
}

main().catch(e => { console.error(e); process.exit(2); });
