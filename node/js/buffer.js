// Buffer: the bytes of a socket read or a file, a Uint8Array with Node's conversions (utf8,
// latin1, ascii, hex, base64). Just enough for sockets and files; the rest of Node's Buffer
// (read/write of integers, fill patterns, ...) throws.
'use strict';

const { notSupported, invalidArgType } = require('errors');

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function normalize(encoding) {
  const e = (encoding ?? 'utf8').toLowerCase();
  switch (e) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'latin1': case 'binary': return 'latin1';
    case 'ascii': case 'hex': case 'base64': case 'base64url': return e;
    default: throw notSupported(`the ${encoding} encoding`);
  }
}

function encode(string, encoding) {
  switch (normalize(encoding)) {
    case 'utf8': return binding.utf8Encode(string);
    case 'latin1':
    case 'ascii': {
      const bytes = new Uint8Array(string.length);
      for (let i = 0; i < string.length; i++) bytes[i] = string.charCodeAt(i) & 0xff;
      return bytes;
    }
    case 'hex': {
      const n = string.length >>> 1;
      const bytes = new Uint8Array(n);
      let i = 0;
      for (; i < n; i++) {
        const byte = parseInt(string.substr(i * 2, 2), 16);
        if (Number.isNaN(byte)) break;
        bytes[i] = byte;
      }
      return bytes.subarray(0, i);
    }
    default: {
      const clean = string.replace(/[^A-Za-z0-9+/\-_]/g, '');
      const bytes = [];
      let bits = 0;
      let value = 0;
      for (const ch of clean) {
        const digit = ch === '-' ? 62 : ch === '_' ? 63 : base64.indexOf(ch);
        value = (value << 6) | digit;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          bytes.push((value >> bits) & 0xff);
        }
      }
      return Uint8Array.from(bytes);
    }
  }
}

class Buffer extends Uint8Array {
  static from(value, encodingOrOffset, length) {
    if (typeof value === 'string') {
      const bytes = encode(value, encodingOrOffset);
      return new Buffer(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    if (value instanceof ArrayBuffer) {
      return new Buffer(value, encodingOrOffset ?? 0, length ?? value.byteLength - (encodingOrOffset ?? 0));
    }
    if (ArrayBuffer.isView(value) || Array.isArray(value)) {
      const copy = new Buffer(value.length);
      for (let i = 0; i < value.length; i++) copy[i] = value[i];
      return copy;
    }
    if (value && value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.from(value.data);
    throw invalidArgType('first argument', 'string or an instance of Buffer, ArrayBuffer, or Array', value);
  }

  static alloc(size, fill) {
    const buf = new Buffer(size);
    if (fill !== undefined) buf.fill(typeof fill === 'string' ? fill.charCodeAt(0) : fill);
    return buf;
  }

  static allocUnsafe(size) { return new Buffer(size); }

  static isBuffer(value) { return value instanceof Buffer; }

  static isEncoding(encoding) {
    try {
      normalize(encoding);
      return typeof encoding === 'string';
    } catch {
      return false;
    }
  }

  static byteLength(value, encoding) {
    if (typeof value !== 'string') return value.byteLength;
    return encode(value, encoding).length;
  }

  static concat(list, totalLength) {
    const total = totalLength ?? list.reduce((n, b) => n + b.length, 0);
    const out = Buffer.alloc(total);
    let at = 0;
    for (const b of list) {
      if (at >= total) break;
      const part = b.length <= total - at ? b : b.subarray(0, total - at);
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  toString(encoding, start = 0, end = this.length) {
    start = Math.max(0, start | 0);
    end = Math.min(this.length, end | 0);
    if (end <= start) return '';
    const bytes = this.subarray(start, end);
    switch (normalize(encoding)) {
      case 'utf8': return binding.utf8Decode(bytes);
      case 'latin1': return String.fromCharCode(...bytes);
      case 'ascii': return String.fromCharCode(...bytes.map((b) => b & 0x7f));
      case 'hex': return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      default: {
        let out = '';
        let i = 0;
        for (; i + 2 < bytes.length; i += 3) {
          const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
          out += base64[n >> 18] + base64[(n >> 12) & 63] + base64[(n >> 6) & 63] + base64[n & 63];
        }
        if (i < bytes.length) {
          const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
          out += base64[n >> 18] + base64[(n >> 12) & 63];
          out += i + 1 < bytes.length ? `${base64[(n >> 6) & 63]}=` : '==';
        }
        if (normalize(encoding) === 'base64url') {
          out = out.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        }
        return out;
      }
    }
  }

  // Node's slice shares the memory, like subarray.
  slice(start, end) { return this.subarray(start, end); }

  subarray(start, end) {
    const view = Uint8Array.prototype.subarray.call(this, start, end);
    return new Buffer(view.buffer, view.byteOffset, view.length);
  }

  equals(other) {
    if (this.length !== other.length) return false;
    for (let i = 0; i < this.length; i++) if (this[i] !== other[i]) return false;
    return true;
  }

  write(string, offset = 0) {
    const bytes = encode(string, 'utf8');
    const n = Math.min(bytes.length, this.length - offset);
    this.set(bytes.subarray(0, n), offset);
    return n;
  }

  toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
}

// A decoder that keeps an incomplete UTF-8 sequence at the end of one chunk for the next one
// (what socket.setEncoding('utf8') needs).
class StringDecoder {
  constructor(encoding) {
    this.encoding = normalize(encoding);
    this.rest = null;
  }

  write(chunk) {
    let bytes = chunk;
    if (this.rest !== null) {
      bytes = Buffer.concat([this.rest, chunk]);
      this.rest = null;
    }
    if (this.encoding !== 'utf8') return Buffer.prototype.toString.call(bytes, this.encoding);
    let cut = bytes.length;
    // Walk back over continuation bytes to the start of the last sequence.
    let i = bytes.length - 1;
    let back = 0;
    while (i >= 0 && back < 3 && (bytes[i] & 0xc0) === 0x80) {
      i--;
      back++;
    }
    if (i >= 0) {
      const lead = bytes[i];
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (need > back + 1) cut = i;
    }
    if (cut < bytes.length) this.rest = Buffer.from(bytes.subarray(cut));
    return binding.utf8Decode(bytes.subarray(0, cut));
  }

  end(chunk) {
    let out = chunk === undefined ? '' : this.write(chunk);
    if (this.rest !== null) {
      out += binding.utf8Decode(this.rest);
      this.rest = null;
    }
    return out;
  }
}

module.exports = { Buffer, StringDecoder };
