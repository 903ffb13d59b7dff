// require('path'), POSIX only: the few functions programs use with __dirname.
'use strict';

function normalizeParts(parts, absolute) {
  const out = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else {
      out.push(part);
    }
  }
  return out;
}

function normalize(p) {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const trailing = p.endsWith('/');
  let out = normalizeParts(p.split('/'), absolute).join('/');
  if (out === '' && !absolute) out = '.';
  if (out !== '' && trailing) out += '/';
  return (absolute ? '/' : '') + out;
}

function join(...parts) {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '.' : normalize(joined);
}

function resolve(...parts) {
  let resolved = '';
  for (let i = parts.length - 1; i >= 0 && !resolved.startsWith('/'); i--) {
    if (parts[i] !== '') resolved = resolved === '' ? parts[i] : `${parts[i]}/${resolved}`;
  }
  if (!resolved.startsWith('/')) resolved = `${process.cwd()}/${resolved}`;
  const out = '/' + normalizeParts(resolved.split('/'), true).join('/');
  return out;
}

function dirname(p) {
  if (p === '') return '.';
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  if (i === -1) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}

function basename(p, ext) {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  let base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (ext !== undefined && base.endsWith(ext) && base !== ext) base = base.slice(0, -ext.length);
  return base;
}

function extname(p) {
  const base = basename(p);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i);
}

function isAbsolute(p) {
  return p.startsWith('/');
}

function relative(from, to) {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...Array(a.length - i).fill('..'), ...b.slice(i)].join('/');
}

module.exports = { sep: '/', delimiter: ':', normalize, join, resolve, dirname, basename, extname, isAbsolute, relative };
module.exports.posix = module.exports;
