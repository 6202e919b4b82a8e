// Real TLS on loopback: one server speaking HTTP/2 and HTTP/1.1 (ALPN), answering EWS
// GetUserAvailability requests with the bodies the generator wrote. The TLS key log goes to
// argv[3] so the capture can carry its secrets. Usage: node tls_exchange.js DIR KEYLOG PORT
'use strict';
const fs = require('fs');
const http2 = require('http2');
const https = require('https');
const path = require('path');

const [dir, keylog, portArg] = process.argv.slice(2);
const port = Number(portArg || 443);
const read = (n) => fs.readFileSync(path.join(dir, n));
const ACTION = 'http://schemas.microsoft.com/exchange/services/2006/messages/GetUserAvailability';

const server = http2.createSecureServer({ key: read('key.pem'), cert: read('cert.pem'), allowHTTP1: true });
server.on('keylog', (line) => fs.appendFileSync(keylog, line));
server.on('request', (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    if (req.headers.action === 'GetUserAvailabilityInternal') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-feserver': 'EXA01' });
      res.end(read('owa-response.json'));
      return;
    }
    const answer = body.includes('h2user@') ? read('h2-response.xml') : read('h1-response.xml');
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'x-feserver': 'EXA01' });
    res.end(answer);
  });
});

function h1() {
  return new Promise((resolve, reject) => {
    const body = read('h1-request.xml');
    const req = https.request({ host: '127.0.0.1', port, path: '/EWS/Exchange.asmx', method: 'POST', rejectUnauthorized: false,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${ACTION}"`, 'Content-Length': body.length,
                 'User-Agent': 'ExchangeServicesClient/15.00.0913.015' } }, (res) => {
      res.on('data', () => {});
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function h2request(client, headers, body) {
  return new Promise((resolve, reject) => {
    const req = client.request(headers);
    req.on('error', reject);
    req.on('data', () => {});
    req.on('end', resolve);
    req.end(body);
  });
}

// EWS SOAP, then Outlook on the web's JSON, on one HTTP/2 connection
async function h2() {
  const client = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
  await h2request(client, { ':method': 'POST', ':path': '/EWS/Exchange.asmx', 'content-type': 'text/xml; charset=utf-8',
                            soapaction: `"${ACTION}"` }, read('h2-request.xml'));
  await h2request(client, { ':method': 'POST', ':path': '/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&ID=-41&AC=1',
                            'content-type': 'application/json; charset=utf-8', action: 'GetUserAvailabilityInternal',
                            'x-owa-canary': 'X2f7Zg8yQkW1Jd0c', 'x-requested-with': 'XMLHttpRequest' }, read('owa-request.json'));
  client.close();
}

server.listen(port, '127.0.0.1', async () => {
  try {
    await h1();
    await h2();
  } finally {
    server.close();
  }
});
