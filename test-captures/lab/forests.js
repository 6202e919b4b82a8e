// forests.js: a small cross-forest free/busy lab on loopback, driven by real client software.
//
// The clients are not ours: the EWS JavaScript API (npm ews-javascript-api, HTTP Basic, NTLM
// and OAuth Bearer) and curl (NTLM, HTTP/2 without TLS, an OWA-style JSON POST). They talk to
// "CAS" (contoso's Exchange, 127.0.0.10), which answers from what its "proxy hops" to the
// other forests and sites get: fabrikam (127.0.0.20), tailspin (127.0.0.30), northwind
// (127.0.0.40) and a second contoso site (127.0.0.50:444). The hops vary what real servers
// vary: RequestTypeHeader present or not, every ASProxy User-Agent form, header order and
// case, SOAP prefixes, Expect: 100-continue, NTLM on the hop, keep-alive reuse for several
// targets, and a teardown reset after everything was answered.
//
// Usage: node forests.js WORKDIR   (make_lab_capture.sh runs it under dumpcap)
// SPDX-License-Identifier: GPL-2.0-or-later
'use strict';
const http = require('node:http');
const http2 = require('node:http2');
const https = require('node:https');
const tls = require('node:tls');
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');
const ntlm = require('@ewsjs/ntlm-client');
const ews = require('ews-javascript-api');

const work = process.argv[2] || '.';
// LAB_TLS=1: every connection over TLS (the client's TLS 1.3, tailspin and the second site
// TLS 1.2), keys logged by node --tls-keylog and curl's SSLKEYLOGFILE for editcap to embed.
const TLS = process.env.LAB_TLS === '1';
const SERVERSIDE = process.env.LAB_SERVERSIDE === '1';   // the extra cases of the server-side capture
const CERT = TLS ? { key: fs.readFileSync(path.join(work, 'key.pem')), cert: fs.readFileSync(path.join(work, 'cert.pem')) } : null;
const SCHEME = TLS ? 'https' : 'http';
const H1_PORT = TLS ? 443 : 80, H2_PORT = TLS ? 8443 : 8080, REMOTE_PORT = TLS ? 443 : 80;
const CAS = '127.0.0.10', FAB = '127.0.0.20', TAIL = '127.0.0.30', NW = '127.0.0.40', SITE2 = '127.0.0.50';
const ADATUM = '127.0.0.60', UPDATES = '127.0.0.70', LITWARE = '127.0.0.80';   // (server-side capture) a forest whose certificate the CAS does not trust; an unrelated host
const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSA = 'http://www.w3.org/2005/08/addressing';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const BUILD = '15.02.1544.004';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('[lab]', ...a);

// ---- the proxy hops: how contoso's availability service reaches each target ------------
// style: SOAP prefixes of the hop body; reqType: RequestTypeHeader or none; expect: headers
// first, body after 100 Continue; lower: lower-case header names; order: header order seed.
const ROUTES = {
  'y1@fabrikam.com': { path: 'org-relationship', to: FAB, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx/WSSecurity',
    ua: `ASProxy/CrossForest/Directory/https/${BUILD}`, reqType: 'CrossForest', wsse: true, style: 's' },
  'y2@fabrikam.com': { path: 'personal-relationship', to: FAB, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx/WSSecurity',
    ua: `ASProxy/CrossForest/EmailDomain/https/${BUILD}`, reqType: null, wsse: true, sharing: true, style: 'soap', remote: 'reset-after-body' },
  't1@tailspin.com': { path: 'address-space-peruser', to: TAIL, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx',
    ua: `ASProxy/CrossForest/EmailDomain//${BUILD}`, reqType: null, ssc: true, auth: 'ntlm', style: 'default', remote: 'reset-after-body' },
  't2@tailspin.com': { path: 'address-space-orgwide-basic', to: TAIL, port: REMOTE_PORT, uri: '/ews/exchange.asmx',
    ua: `ASProxy/CrossForest/Directory/EXPR/${BUILD}`, reqType: 'CrossForest', auth: 'basic', expect: true, lower: true, style: 's',
    remote: 'reset-on-expect' },
  'o1@northwind.com': { path: 'oauth-intraorg', to: NW, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx',
    ua: `ASProxy/CrossForest/EmailDomain//${BUILD}`, reqType: null, auth: 'bearer-s2s', style: 'soap', remote: '401-diagnostics' },
  's1@contoso.com': { path: 'cross-site', to: SITE2, port: 444, uri: '/EWS/Exchange.asmx',
    ua: `ASProxy/CrossSite/Directory/EXCH/${BUILD}`, reqType: 'CrossSite', ssc: true, auth: 'negotiate', style: 's', order: 2 },
  'y3@fabrikam.com': { path: 'org-relationship', to: FAB, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx/WSSecurity', keepalive: true,
    ua: `ASProxy/CrossForest/Directory/https/${BUILD}`, reqType: 'CrossForest', wsse: true, style: 'default', order: 1 },
  'y4@fabrikam.com': { path: 'org-relationship', to: FAB, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx/WSSecurity', keepalive: true,
    ua: `ASProxy/CrossForest/EmailDomain/https/${BUILD}`, reqType: null, wsse: true, style: 'soap', lower: true },
  'y5@fabrikam.com': { path: 'org-relationship', to: FAB, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx/WSSecurity', noIds: true,
    ua: `ASProxy/CrossForest/Directory/https/${BUILD}`, reqType: 'CrossForest', wsse: true, style: 's', remote: 'first-ok-then-reset' },
  // the remote certificate is not trusted: the CAS aborts the handshake (TLS mode only)
  'h1@adatum.com': { path: 'address-space-peruser', to: ADATUM, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx', verify: true,
    ua: `ASProxy/CrossForest/EmailDomain/EXCH/${BUILD}`, reqType: 'CrossForest', ssc: true, style: 's' },
  // the remote forest accepts TLS 1.3 only and the CAS offers TLS 1.2 at most: a protocol_version alert
  'h2@litware.com': { path: 'address-space-orgwide', to: LITWARE, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx', tls12only: true,
    ua: `ASProxy/CrossForest/EmailDomain/EXPR/${BUILD}`, reqType: 'CrossForest', style: 's' },
  't3@tailspin.com': { path: 'address-space-orgwide', to: TAIL, port: REMOTE_PORT, uri: '/EWS/Exchange.asmx',
    ua: `ASProxy/CrossForest/EmailDomain/EXCH/${BUILD}`, reqType: 'CrossForest', auth: 'ntlm', style: 'soap', order: 3 },
};

function soapPrefix(style) {
  // the hop body's prefixes: 's'/'soap' for the envelope, or default namespaces everywhere
  if (style === 'default') return { env: 'Envelope', open: `<Envelope xmlns="${SOAP}">`, h: 'Header', b: 'Body', m: '', t: '' };
  return { env: `${style}:Envelope`, open: `<${style}:Envelope xmlns:${style}="${SOAP}" xmlns:m="${M}" xmlns:t="${T}">`,
    h: `${style}:Header`, b: `${style}:Body`, m: 'm:', t: 't:' };
}

function hopBody(route, targets, requester, messageId) {
  const p = soapPrefix(route.style);
  const tns = p.t ? '' : ` xmlns="${T}"`, mns = p.m ? '' : ` xmlns="${M}"`;
  let hdr = `<${p.t}RequestServerVersion${tns} Version="Exchange2012"/>`;
  if (route.reqType)
    hdr += `<${p.m}RequestTypeHeader${mns}><${p.t}RequestType${tns}>${route.reqType}</${p.t}RequestType></${p.m}RequestTypeHeader>`;
  if (messageId)
    hdr += `<a:MessageID xmlns:a="${WSA}">${messageId}</a:MessageID>`;
  if (route.ssc)
    hdr += `<${p.m}SerializedSecurityContext${mns}>\r\n  <${p.t}UserSid${tns}>S-1-5-21-3623811015-3361044348-30300820-1013</${p.t}UserSid>\r\n` +
      `  <${p.t}GroupSids${tns}><${p.t}GroupIdentifier Attributes="7"><${p.t}SecurityIdentifier>S-1-5-21-3623811015-3361044348-30300820-513` +
      `</${p.t}SecurityIdentifier></${p.t}GroupIdentifier></${p.t}GroupSids>\r\n` +
      `  <${p.t}PrimarySmtpAddress${tns}>${requester}</${p.t}PrimarySmtpAddress>\r\n</${p.m}SerializedSecurityContext>`;
  if (route.sharing)
    hdr += `<${p.t}SharingSecurity${tns}><EncryptedData xmlns="${XENC}" Type="${XENC}Element"><CipherData><CipherValue>` +
      `U2hhcmluZ0tleUZvclgxVG9ZMg==</CipherValue></CipherData></EncryptedData></${p.t}SharingSecurity>`;
  if (route.wsse)
    hdr += `<wsa:To xmlns:wsa="${WSA}">https://mail.fabrikam.com${route.uri}</wsa:To>` +
      `<wsse:Security xmlns:wsse="${WSSE}"><EncryptedData xmlns="${XENC}"><CipherData><CipherValue>ZmVkZXJhdGlvbi1kZWxlZ2F0aW9uLXRva2Vu` +
      `</CipherValue></CipherData></EncryptedData></wsse:Security>`;
  const mbx = targets.map((a) => `<${p.t}MailboxData><${p.t}Email><${p.t}Address>${a}</${p.t}Address></${p.t}Email>` +
    `<${p.t}AttendeeType>Required</${p.t}AttendeeType></${p.t}MailboxData>`).join('\r\n      ');
  return `<?xml version="1.0" encoding="utf-8"?>\r\n${p.open}\r\n  <${p.h}>${hdr}</${p.h}>\r\n  <${p.b}>\r\n` +
    `    <${p.m}GetUserAvailabilityRequest${mns}>\r\n      <${p.t}TimeZone${tns}><${p.t}Bias>0</${p.t}Bias></${p.t}TimeZone>\r\n` +
    `      <${p.m}MailboxDataArray>\r\n      ${mbx}\r\n      </${p.m}MailboxDataArray>\r\n` +
    `      <${p.t}FreeBusyViewOptions${tns}><${p.t}TimeWindow><${p.t}StartTime>2030-01-07T00:00:00</${p.t}StartTime>` +
    `<${p.t}EndTime>2030-01-08T00:00:00</${p.t}EndTime></${p.t}TimeWindow>` +
    `<${p.t}MergedFreeBusyIntervalInMinutes>30</${p.t}MergedFreeBusyIntervalInMinutes><${p.t}RequestedView>DetailedMerged</${p.t}RequestedView>` +
    `</${p.t}FreeBusyViewOptions>\r\n    </${p.m}GetUserAvailabilityRequest>\r\n  </${p.b}>\r\n</${p.env}>\r\n`;
}

function b64url(o) {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}
// An Exchange server-to-server token for the requester: Exchange's app identity acting for the user.
const s2s = (smtp) => `${b64url({ typ: 'JWT', alg: 'RS256', x5t: 'kBNr0mYJ0l6PHe-2mPgKDe4_NlM' })}.` +
  `${b64url({ aud: '00000002-0000-0ff1-ce00-000000000000/mail.northwind.com@5c1e7e1a-1d0f-4d52-9bb8-2d6e0a4c1e4e',
    iss: '00000002-0000-0ff1-ce00-000000000000@9f2b1b0c-4a7a-4a0a-8b4c-6a0e9e1d2c3b', nbf: 1893456000, exp: 1893459600,
    nameid: '00000002-0000-0ff1-ce00-000000000000@9f2b1b0c-4a7a-4a0a-8b4c-6a0e9e1d2c3b',
    appid: '00000002-0000-0ff1-ce00-000000000000', appidacr: '2', smtp, nii: 'urn:federation:MicrosoftOnline' })}.` +
  'c2lnbmF0dXJlLW5vdC1zaG93bg';

// Header list for a hop, in one of a few orders, some lower-cased, as different builds and
// stacks send them.
function hopHeaders(route, host, body, target, clientRequestId, requester) {
  let h = [['Content-Type', 'text/xml; charset=utf-8'],
    ['SOAPAction', `"${M}/GetUserAvailability"`],
    ['User-Agent', route.ua],
    ['X-AnchorMailbox', target],
    ['Host', host]];
  if (clientRequestId && !route.noIds) h.push(['client-request-id', clientRequestId], ['return-client-request-id', 'true']);
  if (route.auth === 'basic') h.push(['Authorization', 'Basic ' + Buffer.from('TAILSPIN\\svc-orgwidefb:Sup3r!Secret').toString('base64')]);
  if (route.auth === 'bearer-s2s') h.push(['Authorization', `Bearer ${s2s(requester)}`]);
  if (route.auth === 'negotiate') h.push(['Authorization', 'Negotiate YIIHPgYGKwYBBQUCoIIHMjCCBy6gMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg==']);
  if (route.expect) h.push(['Expect', '100-continue']);
  h.push(['Content-Length', String(Buffer.byteLength(body))]);
  h.push(['Connection', 'Keep-Alive']);
  for (let i = 0; i < (route.order || 0); i++) h.push(h.shift());   // another order
  if (route.lower) h = h.map(([k, v]) => [k.toLowerCase(), v]);
  return h;
}

// One HTTP/1.1 exchange on a raw socket: headers (then, on Expect, the body after 100
// Continue), resolves with the response or rejects with where the connection broke.
function rawExchange(sock, method, uri, headers, body, expect) {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0), bodySent = false;
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1').split('\r\n');
        const status = parseInt(head[0].split(' ')[1], 10);
        const hdrs = {};
        for (const l of head.slice(1)) { const i = l.indexOf(':'); hdrs[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim(); }
        if (status === 100) { buf = buf.subarray(end + 4); sock.write(body); bodySent = true; continue; }
        const len = parseInt(hdrs['content-length'] || '0', 10);
        if (buf.length < end + 4 + len) return;
        cleanup();
        resolve({ status, headers: hdrs, body: buf.subarray(end + 4, end + 4 + len).toString() });
        return;
      }
    };
    const onErr = (e) => { cleanup(); reject(Object.assign(e, { bodySent })); };
    const onClose = () => { cleanup(); reject(Object.assign(new Error('closed'), { code: 'ECLOSED', bodySent })); };
    const cleanup = () => { sock.off('data', onData); sock.off('error', onErr); sock.off('close', onClose); };
    sock.on('data', onData); sock.on('error', onErr); sock.on('close', onClose);
    const head = `${method} ${uri} HTTP/1.1\r\n` + headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
    if (expect) sock.write(head);
    else { sock.write(head + body); bodySent = true; }
  });
}

// The TCP socket under a TLS one (a reset is a TCP matter), or the socket itself.
function tcpOf(sock) {
  return sock.raw || sock._parent || sock;
}

function connect(host, port, opts) {
  return new Promise((resolve, reject) => {
    const raw = net.connect({ host, port, localAddress: CAS });
    if (!TLS) { raw.once('connect', () => resolve(raw)); raw.once('error', reject); return; }
    const s = tls.connect({ socket: raw, rejectUnauthorized: !!(opts && opts.verify), servername: (opts && opts.sni) || 'mail.example.com',
      maxVersion: (opts && opts.tlsMax) || 'TLSv1.3' }, () => resolve(s));
    s.raw = raw;   // the TCP socket under TLS, for a reset
    s.once('error', reject);
  });
}

const keepAlive = {};   // host -> socket reused for several targets
let hopSeq = 0;

// Contoso's availability service proxies one target; resolves with the per-mailbox result.
async function proxy(target, requester, clientRequestId) {
  const route = ROUTES[target];
  if (!route) return { ok: true };
  hopSeq++;
  const host = route.to === FAB ? 'mail.fabrikam.com' : route.to === TAIL ? 'mail.tailspin.com' :
    route.to === NW ? 'mail.northwind.com' : route.to === ADATUM ? 'mail.adatum.com' :
    route.to === LITWARE ? 'mail.litware.com' : 'exch02.contoso.com:444';
  const msgId = route.noIds ? null : `urn:uuid:5f1c6e2a-7d3b-4c1e-9a8f-${String(100000000000 + hopSeq)}`;
  const body = hopBody(route, [target], requester, msgId);
  let sock;
  try {
    if (route.keepalive && keepAlive[route.to]) sock = keepAlive[route.to];
    else sock = await connect(route.to, route.port, { sni: host.split(':')[0], verify: route.verify, tlsMax: route.verify || route.tls12only ? 'TLSv1.2' : null });
    if (route.keepalive) keepAlive[route.to] = sock;
    let headers = hopHeaders(route, host, body, target, clientRequestId, requester);
    if (route.auth === 'ntlm') {
      // NTLM on the hop: NEGOTIATE (a POST without a body, as .NET sends it), CHALLENGE, AUTHENTICATE with the body
      const t1 = ntlm.createType1Message('', '');
      const neg = headers.filter(([k]) => !/^content-length$/i.test(k)).concat([['Authorization', t1], ['Content-Length', '0']]);
      const r1 = await rawExchange(sock, 'POST', route.uri, neg, '', false);
      const t2 = ntlm.decodeType2Message(r1.headers['www-authenticate']);
      const t3 = ntlm.createType3Message(t2, 'svc-peruserfb', 'Fwd!2030', 'EXCH01', 'CONTOSO');
      headers = headers.concat([['Authorization', t3]]);
    }
    const r = await rawExchange(sock, 'POST', route.uri, headers, body, route.expect);
    if (!route.keepalive) sock.end();
    if (r.status === 401)
      return { error: 'ErrorProxyRequestProcessingFailed', text: 'Proxy web request failed. , inner exception: System.Net.WebException: ' +
        'The request failed with HTTP status 401: Unauthorized.\r\n   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse()',
        source: `https://${host}${route.uri}` };
    return { ok: true };
  } catch (e) {
    if (sock && keepAlive[route.to] === sock) delete keepAlive[route.to];
    if (route.tls12only && !sock)
      return { error: 'ErrorProxyRequestProcessingFailed', text: 'Proxy web request failed. , inner exception: System.Net.WebException: ' +
        'The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Authentication failed ' +
        'because the remote party has closed the transport stream.', source: `https://${host}${route.uri}` };
    if (route.verify && !sock)
      return { error: 'ErrorProxyRequestProcessingFailed', text: 'Proxy web request failed. , inner exception: System.Net.WebException: ' +
        'The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel. ---> ' +
        'System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure.',
      source: `https://${host}${route.uri}` };
    const op = e.bodySent ? 'receive' : 'send';
    const io = e.bodySent ? 'Unable to read data from the transport connection' : 'Unable to write data to the transport connection';
    return { error: 'ErrorProxyRequestProcessingFailed',
      text: `Proxy web request failed. , inner exception: System.Net.WebException: The underlying connection was closed: An unexpected error ` +
        `occurred on a ${op}. ---> System.IO.IOException: ${io}: An existing connection was forcibly closed by the remote host. ---> ` +
        'System.Net.Sockets.SocketException: An existing connection was forcibly closed by the remote host\r\n   at System.Net.Sockets.Socket.' +
        (e.bodySent ? 'Receive' : 'Send') + '(Byte[] buffer, Int32 offset, Int32 size, SocketFlags socketFlags)',
      source: `https://${host}${route.uri}` };
  }
}

// ---- contoso's CAS: answers clients over HTTP/1.1 (EWS SOAP, OWA JSON) and HTTP/2 ------
function freeBusyXml(results) {
  const items = results.map((r) => r.error
    ? `<m:FreeBusyResponse><m:ResponseMessage ResponseClass="Error"><m:MessageText>${r.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</m:MessageText>` +
      `<m:ResponseCode>${r.error}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:MessageXml>` +
      `<t:ExceptionType>ProxyWebRequestProcessingException</t:ExceptionType><t:ExceptionCode>5016</t:ExceptionCode>` +
      `<t:ExceptionServerName>EXCH01</t:ExceptionServerName><t:ResponseSource>${r.source}</t:ResponseSource></m:MessageXml></m:ResponseMessage>` +
      `<m:FreeBusyView><t:FreeBusyViewType>None</t:FreeBusyViewType></m:FreeBusyView></m:FreeBusyResponse>`
    : `<m:FreeBusyResponse><m:ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:ResponseMessage>` +
      `<m:FreeBusyView><t:FreeBusyViewType>MergedOnly</t:FreeBusyViewType><t:MergedFreeBusy>000022220000000000000000</t:MergedFreeBusy>` +
      `</m:FreeBusyView></m:FreeBusyResponse>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP}"><s:Header><h:ServerVersionInfo MajorVersion="15" ` +
    `MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" xmlns:h="${T}" xmlns="${T}"/></s:Header><s:Body>` +
    `<GetUserAvailabilityResponse xmlns="${M}" xmlns:m="${M}" xmlns:t="${T}"><FreeBusyResponseArray>${items}</FreeBusyResponseArray>` +
    '</GetUserAvailabilityResponse></s:Body></s:Envelope>';
}

function owaJson(results) {
  return JSON.stringify({ Body: { ResponseCode: 'NoError', ResponseClass: 'Success', __type: 'GetUserAvailabilityInternalResponse:#Exchange',
    Responses: results.map((r) => r.error
      ? { CalendarView: { FreeBusyViewType: 'None' }, ResponseMessage: { ResponseClass: 'Error', ResponseCode: r.error, MessageText: r.text } }
      : { CalendarView: { FreeBusyViewType: 'MergedOnly', MergedFreeBusy: '000022220000000000000000' },
        ResponseMessage: { ResponseClass: 'Success', ResponseCode: 'NoError' } }) },
  Header: { ServerVersionInfo: { MajorVersion: 15, MinorVersion: 2, Version: 'V2018_01_08' } } });
}

// An NTLM CHALLENGE message for `domain`, with the target information NTLMv2 needs.
function ntlmChallenge(domain, server, challengeHex) {
  const u = (x) => Buffer.from(x, 'utf16le');
  const av = (id, v) => { const h = Buffer.alloc(4); h.writeUInt16LE(id, 0); h.writeUInt16LE(v.length, 2); return Buffer.concat([h, v]); };
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE((BigInt(Date.UTC(2030, 0, 7)) + 11644473600000n) * 10000n);
  const name = u(domain);
  const info = Buffer.concat([av(2, u(domain)), av(1, u(server)), av(4, u(`${domain.toLowerCase()}.local`)),
    av(3, u(`${server.toLowerCase()}.${domain.toLowerCase()}.local`)), av(7, ts), Buffer.alloc(4)]);
  const h = Buffer.alloc(56);
  h.write('NTLMSSP\0', 0, 'ascii'); h.writeUInt32LE(2, 8);
  h.writeUInt16LE(name.length, 12); h.writeUInt16LE(name.length, 14); h.writeUInt32LE(56, 16);
  h.writeUInt32LE(0xe28a8215, 20); Buffer.from(challengeHex, 'hex').copy(h, 24);
  h.writeUInt16LE(info.length, 40); h.writeUInt16LE(info.length, 42); h.writeUInt32LE(56 + name.length, 44);
  Buffer.from([10, 0, 0x63, 0x45, 0, 0, 0, 15]).copy(h, 48);
  return 'NTLM ' + Buffer.concat([h, name, info]).toString('base64');
}

const ntlmChallenges = new Map();
function casNtlm(req, res) {
  // NTLM for the client: a CHALLENGE to the NEGOTIATE, the AUTHENTICATE accepted as it comes
  const a = req.headers.authorization || '';
  if (/^NTLM /i.test(a) && Buffer.from(a.slice(5), 'base64').readUInt32LE(8) === 1) {
    ntlmChallenges.set(req.socket, true);
    res.writeHead(401, { 'WWW-Authenticate': ntlmChallenge('CONTOSO', 'EXCH01', '0123456789abcdef'), 'Content-Length': '0' });
    res.end();
    return true;
  }
  return false;
}

// The requester's address from the client's credentials, as the CAS's directory would map it.
function accountSmtp(auth) {
  let user = null;
  if (/^Basic /i.test(auth || '')) user = Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
  else if (/^NTLM /i.test(auth || '')) {
    const b = Buffer.from(auth.slice(5), 'base64');
    if (b.length > 44 && b.readUInt32LE(8) === 3) user = b.subarray(b.readUInt32LE(40), b.readUInt32LE(40) + b.readUInt16LE(36)).toString('utf16le');
  } else if (/^Bearer /i.test(auth || '')) {
    try { user = JSON.parse(Buffer.from(auth.slice(7).split('.')[1], 'base64url')).smtp; } catch (e) { user = null; }
  }
  if (!user) return null;
  user = user.includes('\\') ? user.split('\\')[1] : user;
  return user.includes('@') ? user : `${user}@contoso.com`;
}

async function casHandle(req, res, body) {
  if (casNtlm(req, res)) return;
  const owa = /\/owa\/service\.svc/i.test(req.url);
  let targets;
  if (owa) targets = JSON.parse(body).request.Body.MailboxDataArray.map((m) => m.Email.Address);
  else targets = [...body.matchAll(/<(?:\w+:)?Address>([^<]+)</g)].map((m) => m[1]);
  const requester = req.headers['x-anchormailbox'] || accountSmtp(req.headers.authorization) || 'someone@contoso.com';
  const crid = req.headers['client-request-id'] || null;
  const results = await Promise.all(targets.map((t) => proxy(t, requester, crid)));
  const out = owa ? owaJson(results) : freeBusyXml(results);
  res.writeHead(200, { 'Content-Type': owa ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8',
    'X-FEServer': 'EXCH01', 'request-id': '0b1d6c57-3f6a-4f8e-9d2b-7a1c2e3f4a5b' });
  res.end(out);
}

function startCas() {
  const onReq = (req, res) => { let b = ''; req.setEncoding('utf8'); req.on('data', (d) => { b += d; }); req.on('end', () => casHandle(req, res, b)); };
  const s1 = TLS ? https.createServer({ ...CERT, keepAliveTimeout: 60000 }, onReq) : http.createServer({ keepAliveTimeout: 60000 }, onReq);
  // HTTP/2: over TLS with ALPN, else without TLS (curl --http2-prior-knowledge)
  const s2 = TLS ? http2.createSecureServer({ ...CERT }, onReq) : http2.createServer({}, onReq);
  // the client leg's keys alone, as a server-side capture would have them (the CAS's, not its hops')
  if (TLS) for (const srv of [s1, s2]) srv.on('keylog', (line) => fs.appendFileSync(path.join(work, 'client-leg.keys'), line));
  return Promise.all([new Promise((r) => s1.listen(H1_PORT, CAS, r)), new Promise((r) => s2.listen(H2_PORT, CAS, r))]).then(() => [s1, s2]);
}

// ---- the remote forests and the other site -----------------------------------------------
function okXml() { return freeBusyXml([{ ok: true }]); }
let y5Hops = 0;
function startRemote(ip, port, tlsMax, tlsMin) {
  const handler = (req, res) => {
    if (req.headers.host === 'updates.example.net') { tcpOf(req.socket).resetAndDestroy(); return; }   // the unrelated host
    const auth = req.headers.authorization || '';
    if (/^NTLM /i.test(auth) && Buffer.from(auth.slice(5), 'base64').readUInt32LE(8) === 1) {
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': ntlmChallenge('TAILSPIN', 'TSEXCH1', 'fedcba9876543210'), 'Content-Length': '0' });
      res.end();
      return;
    }
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', async () => {
      const target = (b.match(/<(?:\w+:)?Address>([^<]+)</) || [])[1];
      const route = ROUTES[target] || {};
      let mode = route.remote;
      if (mode === 'first-ok-then-reset') { mode = ++y5Hops === 1 ? 'slow-ok' : 'reset-after-body'; }
      if (mode === 'reset-after-body') { await sleep(3); tcpOf(req.socket).resetAndDestroy(); return; }
      if (mode === '401-diagnostics') {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", ' +
          'trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"',
        'x-ms-diagnostics': '2000003;reason="The audience claim value is invalid for current resource.";error_category="invalid_resource"',
        'Content-Length': '0' });
        res.end();
        return;
      }
      if (mode === 'slow-ok') await sleep(150);
      const x = okXml();
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(x) });
      res.end(x);
    });
  };
  const srv = TLS ? https.createServer({ ...CERT, maxVersion: tlsMax || 'TLSv1.3', minVersion: tlsMin || 'TLSv1.2', keepAliveTimeout: 60000 }, handler)
    : http.createServer({ keepAliveTimeout: 60000 }, handler);
  srv.on('checkContinue', (req, res) => {
    const route = Object.values(ROUTES).find((r) => r.expect && req.url === r.uri) || {};
    if (route.remote === 'reset-on-expect') { setTimeout(() => tcpOf(req.socket).resetAndDestroy(), 2); return; }
    res.writeContinue();
    srv.emit('request', req, res);
  });
  return new Promise((r) => srv.listen(port, ip, () => r(srv)));
}

// ---- the clients ---------------------------------------------------------------------------
function ewsService(auth) {
  const svc = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013);
  svc.Url = new ews.Uri(`${SCHEME}://${CAS}/EWS/Exchange.asmx`);
  if (TLS) svc.XHRApi = new ews.XhrApi(true);   // the lab's self-signed certificate
  if (auth.basic) svc.Credentials = new ews.WebCredentials(auth.basic, 'P@ssw0rd!');
  if (auth.ntlm) {
    svc.Credentials = new ews.WebCredentials(auth.ntlm, 'P@ssw0rd!');
    svc.XHRApi = new ews.XhrApi(TLS).useNtlmAuthentication(auth.ntlm, 'P@ssw0rd!');
  }
  if (auth.bearer) svc.Credentials = new ews.OAuthCredentials(auth.bearer);
  if (auth.anchor) svc.HttpHeaders.Add('X-AnchorMailbox', auth.anchor);
  if (auth.crid) { svc.ClientRequestId = auth.crid; svc.ReturnClientRequestId = true; }
  return svc;
}

async function ewsLookup(auth, targets) {
  const svc = ewsService(auth);
  const st = new ews.DateTime(2030, 1, 7, 0, 0, 0);
  try {
    const r = await svc.GetUserAvailability(targets.map((a) => new ews.AttendeeInfo(a)), new ews.TimeWindow(st, st.AddDays(1)),
      ews.AvailabilityData.FreeBusy);
    log('ews', JSON.stringify(auth), targets, r.AttendeesAvailability.Responses.map((x) => x.ErrorCode));
  } catch (e) {
    log('ews error', e.message || e);
  }
}

function curl(args) {
  return new Promise((resolve) => execFile('curl', ['-sS', '-k', '-o', '/dev/null', '-w', '%{http_code}\\n'].concat(args), (err, out, errout) => {
    log('curl', args.filter((a) => a.startsWith('http')).join(' '), out.trim(), err ? errout : '');
    resolve();
  }));
}

function clientSoap(targets, prefix) {
  const p = prefix;
  return `<?xml version="1.0" encoding="utf-8"?><${p}:Envelope xmlns:${p}="${SOAP}" xmlns:t="${T}" xmlns:m="${M}"><${p}:Header>` +
    `<t:RequestServerVersion Version="Exchange2016"/></${p}:Header><${p}:Body><m:GetUserAvailabilityRequest><t:TimeZone><t:Bias>0</t:Bias>` +
    '</t:TimeZone><m:MailboxDataArray>' + targets.map((a) => `<t:MailboxData><t:Email><t:Address>${a}</t:Address></t:Email>` +
    '<t:AttendeeType>Required</t:AttendeeType></t:MailboxData>').join('') + '</m:MailboxDataArray><t:FreeBusyViewOptions><t:TimeWindow>' +
    '<t:StartTime>2030-01-07T00:00:00</t:StartTime><t:EndTime>2030-01-08T00:00:00</t:EndTime></t:TimeWindow>' +
    '<t:RequestedView>FreeBusy</t:RequestedView></t:FreeBusyViewOptions></m:GetUserAvailabilityRequest></' + p + ':Body></' + p + ':Envelope>';
}

function owaBody(targets) {
  return JSON.stringify({ request: { __type: 'GetUserAvailabilityInternalJsonRequest:#Exchange',
    Header: { __type: 'JsonRequestHeaders:#Exchange', RequestServerVersion: 'V2018_01_08' },
    Body: { __type: 'GetUserAvailabilityRequest:#Exchange',
      MailboxDataArray: targets.map((a) => ({ __type: 'MailboxData:#Exchange', Email: { __type: 'EmailAddress:#Exchange', Address: a },
        AttendeeType: 'Required' })),
      FreeBusyViewOptions: { __type: 'FreeBusyViewOptions:#Exchange', RequestedView: 'FreeBusyMerged', MergedFreeBusyIntervalInMinutes: 30,
        TimeWindow: { __type: 'Duration:#Exchange', StartTime: '2030-01-07T00:00:00.000', EndTime: '2030-01-08T00:00:00.000' } } } } });
}

async function main() {
  await startCas();
  await startRemote(FAB, REMOTE_PORT);
  await startRemote(TAIL, REMOTE_PORT, 'TLSv1.2');
  await startRemote(NW, REMOTE_PORT);
  await startRemote(SITE2, 444, 'TLSv1.2');
  await startRemote(ADATUM, REMOTE_PORT, 'TLSv1.2');
  await startRemote(UPDATES, REMOTE_PORT);
  await startRemote(LITWARE, REMOTE_PORT, 'TLSv1.3', 'TLSv1.3');
  await sleep(200);

  // distractors for the encrypted hops (TLS mode): a connection that carries no request and is
  // reset, and a request to an unrelated host reset long before any lookup
  if (SERVERSIDE) {
    const idle = await connect(UPDATES, REMOTE_PORT, { sni: 'updates.example.net' });
    await sleep(50);
    tcpOf(idle).resetAndDestroy();
    const other = await connect(UPDATES, REMOTE_PORT, { sni: 'updates.example.net' });
    other.write('GET /feed HTTP/1.1\r\nHost: updates.example.net\r\n\r\n');
    other.on('error', () => {});
    await sleep(400);
  }

  // 1. Basic (alice), two targets: the organization relationship answers, the personal one is reset
  await ewsLookup({ basic: 'CONTOSO\\alice' }, ['y1@fabrikam.com', 'y2@fabrikam.com']);
  await sleep(100);
  // 2. NTLM (bob): PerUserFB hop with NTLM of its own and no RequestTypeHeader, reset
  await ewsLookup({ ntlm: 'CONTOSO\\bob' }, ['t1@tailspin.com']);
  await sleep(100);
  // 2b. (TLS) the hop to adatum fails its handshake: the CAS does not trust adatum's certificate
  if (SERVERSIDE) {
    await ewsLookup({ basic: 'CONTOSO\\heidi' }, ['h1@adatum.com', 'h2@litware.com']);
    await sleep(100);
  }
  // 3. Bearer (carol's token): OrgWideFBBasic hop reset on its Expect: 100-continue ("on a send"); a cross-site hop answered
  const carol = `${b64url({ typ: 'JWT', alg: 'RS256' })}.${b64url({ aud: 'https://outlook.office365.com', iss: 'https://sts.windows.net/x/',
    upn: 'carol@contoso.com', smtp: 'carol@contoso.com', exp: 1893459600 })}.c2ln`;
  await ewsLookup({ bearer: carol }, ['t2@tailspin.com', 's1@contoso.com']);
  await sleep(100);
  // 4. curl with NTLM (dave): the OAuth hop gets HTTP 401 with x-ms-diagnostics
  fs.writeFileSync(path.join(work, 'dave.xml'), clientSoap(['o1@northwind.com'], 'soap'));
  await curl(['--ntlm', '-u', 'CONTOSO\\dave:P@ssw0rd!', '-H', 'Content-Type: text/xml; charset=utf-8',
    '--data-binary', `@${path.join(work, 'dave.xml')}`, `${SCHEME}://${CAS}/EWS/Exchange.asmx`]);
  await sleep(100);
  // 5. curl over HTTP/2 (erin, Basic): two targets over one kept-alive hop connection, answered
  fs.writeFileSync(path.join(work, 'erin.xml'), clientSoap(['y3@fabrikam.com', 'y4@fabrikam.com'], 's'));
  await curl([TLS ? '--http2' : '--http2-prior-knowledge', '-u', 'erin@contoso.com:P@ssw0rd!', '-H', 'Content-Type: text/xml; charset=utf-8',
    '-H', 'X-AnchorMailbox: erin@contoso.com', '-H', 'client-request-id: 6f2b9d1e-3c4a-4b5d-8e7f-0a1b2c3d4e5f',
    '--data-binary', `@${path.join(work, 'erin.xml')}`, `${SCHEME}://${CAS}:${H2_PORT}/EWS/Exchange.asmx`]);
  await sleep(100);
  // 6. OWA-style JSON (frank's browser session, curl): the personal relationship again
  fs.writeFileSync(path.join(work, 'frank.json'), owaBody(['y2@fabrikam.com', 't3@tailspin.com']));
  await curl(['-H', 'Content-Type: application/json; charset=utf-8', '-H', 'Action: GetUserAvailabilityInternal',
    '-H', 'X-OWA-CANARY: x8Xw3pYpUkC9', '-H', 'X-Requested-With: XMLHttpRequest', '-H', 'X-AnchorMailbox: frank@contoso.com',
    '-H', 'Cookie: X-BackEndCookie=S-1-5-21=; X-OWA-CANARY=x8Xw3pYpUkC9', '-A', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
    '--data-binary', `@${path.join(work, 'frank.json')}`, `${SCHEME}://${CAS}/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&ID=-41&AC=1`]);
  await sleep(100);
  // 7. two lookups of y5 in flight at once (alice and grace), hops without IDs: one answered, one reset
  await Promise.all([ewsLookup({ basic: 'CONTOSO\\alice' }, ['y5@fabrikam.com']),
    (async () => { await sleep(20); await ewsLookup({ basic: 'CONTOSO\\grace' }, ['y5@fabrikam.com']); })()]);
  await sleep(100);
  // teardown: the kept-alive hop connection is reset after every answer was delivered
  for (const s of Object.values(keepAlive)) tcpOf(s).resetAndDestroy();
  await sleep(300);
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
