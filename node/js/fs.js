'use strict';
const { notSupported } = require('errors');
module.exports = new Proxy({}, { get(_, name) { throw notSupported(`fs.${String(name)}`); } });
