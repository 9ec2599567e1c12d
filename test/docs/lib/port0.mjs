// Preload for server snippets: whatever port a snippet asks for, it listens on a free one, and the
// first address it gets is printed as `SNIPPET_LISTENING {"address":…,"port":…}` for the runner.
import net from 'node:net';

const listen = net.Server.prototype.listen;
let reported = false;

net.Server.prototype.listen = function patchedListen(...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) args[0] = 0;
  else if (args[0] !== null && typeof args[0] === 'object' && 'port' in args[0]) args[0] = { ...args[0], port: 0 };
  this.once('listening', () => {
    if (reported) return;
    const address = this.address();
    if (address && typeof address === 'object') {
      reported = true;
      process.stdout.write(`SNIPPET_LISTENING ${JSON.stringify({ address: address.address, port: address.port })}\n`);
    }
  });
  return listen.apply(this, args);
};
