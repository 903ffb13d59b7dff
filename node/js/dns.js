// require('dns'): lookup, on chapter 9's thread pool (getaddrinfo), as Node's dns.lookup.
'use strict';

const { validateFunction, notSupported } = require('errors');

function isIP(host) {
  return require('net').isIP(host);
}

function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  if (typeof options === 'number') options = { family: options };
  validateFunction(callback, 'callback');
  const all = Boolean(options && options.all);
  const family = options && options.family ? Number(options.family) : 0;
  const ip = isIP(hostname);
  if (ip) {
    // Node answers a numeric address itself, on the next tick.
    process.nextTick(() => {
      if (all) callback(null, [{ address: hostname, family: ip }]);
      else callback(null, hostname, ip);
    });
    return {};
  }
  binding.dnsLookup(hostname, (err, addresses) => {
    if (err) {
      callback(err);
      return;
    }
    const matching = addresses.filter(([, f]) => family === 0 || f === family);
    if (all) {
      callback(null, matching.map(([address, f]) => ({ address, family: f })));
    } else if (matching.length === 0) {
      const e = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      e.code = 'ENOTFOUND';
      callback(e);
    } else {
      callback(null, matching[0][0], matching[0][1]);
    }
  });
  return {};
}

module.exports = new Proxy({ lookup, promises: undefined }, {
  get(target, name) {
    if (name === 'lookup') return lookup;
    if (name === 'promises') {
      return { lookup: (host, options) => new Promise((resolve, reject) => {
        lookup(host, { ...options }, (err, address, family) => {
          if (err) reject(err);
          else resolve(options && options.all ? address : { address, family });
        });
      }) };
    }
    if (typeof name === 'symbol' || name === 'then') return undefined;
    throw notSupported(`dns.${name}`);
  },
});
