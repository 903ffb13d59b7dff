// require('fs'): readFile, writeFile, stat, unlink with callbacks (on chapter 9's thread pool,
// called back in the poll phase) and their Sync twins; fs.promises on top. Anything else throws
// "not supported by this runtime".
'use strict';

const { Buffer } = require('buffer');
const { notSupported, invalidArgType, validateFunction } = require('errors');

function checkPath(path) {
  if (typeof path === 'string') return path;
  if (path instanceof Uint8Array) return Buffer.from(path).toString();
  if (path instanceof URL) return path.pathname;
  throw invalidArgType('path', 'string or an instance of Buffer or URL', path);
}

function encodingOf(options) {
  if (typeof options === 'string') return options;
  if (options && typeof options === 'object') return options.encoding ?? null;
  return null;
}

function flagOf(options) {
  const flag = options && typeof options === 'object' ? options.flag : undefined;
  if (flag !== undefined && flag !== 'r' && flag !== 'w') throw notSupported(`the '${flag}' flag`);
}

function bytesOf(data, options) {
  if (typeof data === 'string') return Buffer.from(data, encodingOf(options) ?? 'utf8');
  if (data instanceof Uint8Array) return data;
  throw invalidArgType('data', 'string or an instance of Buffer, TypedArray, or DataView', data);
}

function decode(bytes, options) {
  const buf = new Buffer(bytes.buffer, bytes.byteOffset, bytes.length);
  const encoding = encodingOf(options);
  return encoding === null ? buf : buf.toString(encoding);
}

// fs.Stats: the numbers, and the questions programs ask.
class Stats {
  constructor(a) {
    [this.dev, this.mode, this.nlink, this.uid, this.gid, this.ino, this.size,
      this.atimeMs, this.mtimeMs, this.ctimeMs] = a;
    this.atime = new Date(this.atimeMs);
    this.mtime = new Date(this.mtimeMs);
    this.ctime = new Date(this.ctimeMs);
  }

  isFile() { return (this.mode & 0o170000) === 0o100000; }
  isDirectory() { return (this.mode & 0o170000) === 0o040000; }
  isSymbolicLink() { return (this.mode & 0o170000) === 0o120000; }
}

function readFile(path, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'cb');
  flagOf(options);
  binding.fsReadFile(checkPath(path), (err, bytes) => {
    if (err) callback(err);
    else callback(null, decode(bytes, options));
  });
}

function writeFile(path, data, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  validateFunction(callback, 'cb');
  flagOf(options);
  binding.fsWriteFile(checkPath(path), bytesOf(data, options), (err) => callback(err));
}

function stat(path, options, callback) {
  if (typeof options === 'function') callback = options;
  validateFunction(callback, 'cb');
  binding.fsStat(checkPath(path), (err, a) => {
    if (err) callback(err);
    else callback(null, new Stats(a));
  });
}

function unlink(path, callback) {
  validateFunction(callback, 'cb');
  binding.fsUnlink(checkPath(path), (err) => callback(err));
}

function readFileSync(path, options) {
  flagOf(options);
  return decode(binding.fsReadFileSync(checkPath(path)), options);
}

function writeFileSync(path, data, options) {
  flagOf(options);
  binding.fsWriteFileSync(checkPath(path), bytesOf(data, options));
}

function statSync(path) {
  return new Stats(binding.fsStatSync(checkPath(path)));
}

function unlinkSync(path) {
  binding.fsUnlinkSync(checkPath(path));
}

function existsSync(path) {
  try {
    return binding.fsExistsSync(checkPath(path));
  } catch {
    return false;
  }
}

function promisified(fn) {
  return (...args) => new Promise((resolve, reject) => {
    fn(...args, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

const promises = {
  readFile: promisified(readFile),
  writeFile: promisified(writeFile),
  stat: promisified(stat),
  unlink: promisified(unlink),
};

const fs = {
  readFile, writeFile, stat, unlink,
  readFileSync, writeFileSync, statSync, unlinkSync, existsSync,
  promises, Stats,
};

// Everything else Node's fs has is a clear error, not `undefined is not a function`.
module.exports = new Proxy(fs, {
  get(target, name) {
    if (name in target || typeof name === 'symbol') return target[name];
    if (name === 'constants' || name === '__esModule' || name === 'then') return undefined;
    throw notSupported(`fs.${name}`);
  },
});
