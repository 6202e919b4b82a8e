// Real HTTP/2 over TLS on loopback where responses never see END_STREAM: the server writes
// each response's whole content-length body in interleaved DATA frames, then resets one
// stream (RST_STREAM, NO_ERROR: Node's stream.destroy()) and leaves the other open until the
// client, having read all it was promised, drops the connection. The TLS key log goes to
// argv[3]. Usage: node h2_unended.js DIR KEYLOG PORT
'use strict';
const fs = require('fs');
const http2 = require('http2');
const path = require('path');

const [dir, keylog, portArg] = process.argv.slice(2);
const port = Number(portArg || 443);
const read = (n) => fs.readFileSync(path.join(dir, n));
const ACTION = 'http://schemas.microsoft.com/exchange/services/2006/messages/GetUserAvailability';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const server = http2.createSecureServer({ key: read('key.pem'), cert: read('cert.pem') });
server.on('keylog', (line) => fs.appendFileSync(keylog, line));
const open = [];
server.on('stream', (stream, headers) => {
  stream.on('error', () => {});
  stream.on('data', () => {});
  stream.on('end', () => {
    const json = headers.action === 'GetUserAvailabilityInternal';
    const body = json ? read('owa-response.json') : read('soap-response.xml');
    stream.respond({ ':status': 200, 'content-type': json ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8',
                     'content-length': body.length, 'x-feserver': 'EXA01' });
    open.push({ stream, body, json });
    if (open.length === 2)
      answer();
  });
});

// first halves of both bodies, then second halves: the streams' DATA frames interleave
async function answer() {
  for (const o of open)
    o.stream.write(o.body.subarray(0, o.body.length >> 1));
  await sleep(50);
  for (const o of open)
    o.stream.write(o.body.subarray(o.body.length >> 1));
  await sleep(50);
  open.find((o) => !o.json).stream.destroy();   // RST_STREAM(NO_ERROR), never END_STREAM
}

function request(client, headers, body, want) {
  return new Promise((resolve) => {
    const req = client.request(headers);
    let got = 0;
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.on('data', (c) => { got += c.length; if (got >= want) resolve(); });
    req.end(body);
  });
}

server.listen(port, '127.0.0.1', async () => {
  const client = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
  await Promise.all([
    request(client, { ':method': 'POST', ':path': '/EWS/Exchange.asmx', 'content-type': 'text/xml; charset=utf-8',
                      soapaction: `"${ACTION}"`, 'user-agent': 'ExchangeServicesClient/15.00.0913.015' },
            read('soap-request.xml'), read('soap-response.xml').length),
    request(client, { ':method': 'POST', ':path': '/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&ID=-42&AC=1',
                      'content-type': 'application/json; charset=utf-8', action: 'GetUserAvailabilityInternal' },
            read('owa-request.json'), read('owa-response.json').length),
  ]);
  await sleep(100);
  client.destroy();            // the OWA stream is still open: its END_STREAM never comes
  server.close();
  setTimeout(() => process.exit(0), 200);
});
