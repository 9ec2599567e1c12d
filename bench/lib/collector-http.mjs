// HTTP helpers for the collector bench: keep-alive POSTs, timed GETs and SSE listeners on /api/live.
import http from 'node:http';

export function createAgent(sockets) {
  return new http.Agent({ keepAlive: true, maxSockets: sockets });
}

/**
 * POST `body`; resolves `{ status, text }` once the whole answer arrived. A keep-alive socket the server
 * closed while idle (its 5 s keep-alive timeout, e.g. while the bench encodes the next bodies) fails on
 * reuse before anything was processed: that request is sent again on a new socket, as Node's docs advise.
 */
export function post(url, body, contentType, agent, retried = false) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!retried && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) resolve(post(url, body, contentType, agent, true));
      else reject(error);
    });
    req.end(body);
  });
}

/** GET; resolves `{ status, bytes, ms, body }` with the time from sending to the last byte (resent like `post`). */
export function timedGet(url, agent, retried = false) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const body = Buffer.concat(parts);
        resolve({ status: res.statusCode, bytes: body.length, ms: performance.now() - started, body });
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(timedGet(url, agent, true));
      else reject(error);
    });
  });
}

/**
 * Listens on `/api/live`; keeps every `spans` event's data with its arrival time (performance.now()), and
 * parses nothing while listening so that the arrival times are not delayed by the listener's own work.
 */
export function listenLive(baseUrl) {
  return new Promise((resolve, reject) => {
    const events = [];
    let text = '';
    const req = http.get(`${baseUrl}/api/live`, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`/api/live answered ${res.statusCode}`));
      res.setEncoding('utf8');
      // Pieces of the event in progress; only each new piece (plus the char before it) is searched for the
      // blank line that ends an event, so a multi-megabyte event costs the listener linear time.
      let pieces = [];
      let last = '';
      const finish = (at, text) => {
        const data = text.indexOf('\ndata: ');
        if (data >= 0 && text.includes('event: spans')) events.push({ at, data: text.slice(data + 7) });
      };
      res.on('data', (chunk) => {
        const at = performance.now();
        let from = 0;
        if (last === '\n' && chunk[0] === '\n') {
          finish(at, pieces.join('').slice(0, -1));
          pieces = [];
          from = 1;
        }
        for (let end = chunk.indexOf('\n\n', from); end >= 0; end = chunk.indexOf('\n\n', from)) {
          pieces.push(chunk.slice(from, end));
          finish(at, pieces.join(''));
          pieces = [];
          from = end + 2;
        }
        if (from < chunk.length) pieces.push(chunk.slice(from));
        last = chunk.length > 0 ? chunk[chunk.length - 1] : last;
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', (e) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
  });
}
