// require('util'): inspect and format, the part of Node's util that console.log is made of, for
// the values programs print: primitives, arrays, plain objects, class instances, Map, Set,
// errors, functions, dates, Buffers. The layout rules are Node's (lib/internal/util/inspect.js):
// depth 2, 80 columns, up to 3 inner levels on one line, arrays of more than 6 short items
// grouped in columns.
'use strict';

const kObject = 0;
const kArrayExtras = 1;
const breakLength = 80;
const compact = 3;
const maxArrayLength = 100;

const identifier = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const escapes = {
  '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '\\': '\\\\',
};

// A string as Node quotes it: single quotes unless the string has one; then double quotes,
// then backticks.
function quote(str) {
  let q = "'";
  if (str.includes("'")) {
    if (!str.includes('"')) q = '"';
    else if (!str.includes('`') && !str.includes('${')) q = '`';
  }
  let out = '';
  for (const ch of str) {
    const code = ch.charCodeAt(0);
    if (ch === q || (ch === "'" && q === "'")) out += '\\' + ch;
    else if (escapes[ch] !== undefined) out += escapes[ch];
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}

function formatNumber(n) {
  return Object.is(n, -0) ? '-0' : String(n);
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case 'string':
      if (value.length > 16 && value.length > breakLength - ctx.indentation - 4) {
        return value.split(/(?<=\n)/).map(quote).join(` +\n${' '.repeat(ctx.indentation + 2)}`);
      }
      return quote(value);
    case 'number': return formatNumber(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return value.toString();
    default: return String(value);
  }
}

function constructorName(value) {
  let proto = value;
  while (proto !== null) {
    const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (desc !== undefined && typeof desc.value === 'function' && desc.value.name !== '') {
      return desc.value.name;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function prefix(name, tag, fallback) {
  if (name === null) {
    return tag !== '' ? `[${fallback}: null prototype] [${tag}] ` : `[${fallback}: null prototype] `;
  }
  if (tag !== '' && name !== tag) return `${name} [${tag}] `;
  return `${name} `;
}

function isError(value) {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

function functionBase(fn, name) {
  const source = Function.prototype.toString.call(fn);
  if (source.startsWith('class') && /^class\s*[\s{A-Za-z_$]/.test(source)) {
    let base = `[class ${fn.name || '(anonymous)'}`;
    const parent = Object.getPrototypeOf(fn);
    if (parent && parent.name) base += ` extends ${parent.name}`;
    return base + ']';
  }
  let type = 'Function';
  const tag = fn[Symbol.toStringTag];
  if (tag === 'AsyncFunction') type = 'AsyncFunction';
  else if (tag === 'GeneratorFunction') type = 'GeneratorFunction';
  else if (tag === 'AsyncGeneratorFunction') type = 'AsyncGeneratorFunction';
  let base = `[${type}${fn.name === '' ? ' (anonymous)' : `: ${fn.name}`}]`;
  if (name !== null && name !== type && name !== 'Function') base += ` ${name}`;
  return base;
}

function formatError(err, ctx) {
  let stack = typeof err.stack === 'string' && err.stack !== '' ? err.stack : '';
  const head = Error.prototype.toString.call(err);
  // QuickJS keeps only the frames in `stack`; Node's starts with "Name: message".
  if (!stack.startsWith(head)) stack = stack === '' ? head : `${head}\n${stack.replace(/\n$/, '')}`;
  stack = stack.replace(/\n$/, '');
  if (!stack.includes('\n    at')) stack = `[${stack}]`;
  if (ctx.indentation !== 0) stack = stack.replace(/\n/g, `\n${' '.repeat(ctx.indentation)}`);
  return stack;
}

function keysOf(value) {
  const keys = Object.keys(value);
  for (const sym of Object.getOwnPropertySymbols(value)) {
    if (Object.prototype.propertyIsEnumerable.call(value, sym)) keys.push(sym);
  }
  return keys;
}

function formatValue(ctx, value, depth) {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);
  if (value === null) return 'null';
  const custom = value[inspect.custom];
  if (typeof custom === 'function' && custom !== inspect) {
    const out = custom.call(value, ctx.depth - depth, { depth: ctx.depth - depth }, inspect);
    if (out !== value) {
      return typeof out === 'string' ? out : formatValue(ctx, out, depth);
    }
  }
  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, depth);
}

function formatRaw(ctx, value, depth) {
  const name = constructorName(value);
  let tag = value[Symbol.toStringTag];
  if (typeof tag !== 'string' || Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag)) {
    tag = '';
  }
  let keys = keysOf(value);
  let base = '';
  let braces = ['{', '}'];
  let extras = kObject;
  let entries = () => [];

  if (Array.isArray(value)) {
    keys = keys.filter((k) => typeof k !== 'string' || !/^(0|[1-9][0-9]*)$/.test(k));
    if (ctx.showHidden) keys.push('length');
    const p = prefix(name, tag, 'Array');
    braces = [`${p === 'Array ' ? '' : p}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extras = kArrayExtras;
    entries = () => formatArray(ctx, value, depth);
  } else if (value instanceof Map) {
    const p = prefix(name, tag, 'Map');
    braces = [`${p.replace(/ $/, '')}(${value.size}) {`, '}'];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    entries = () => {
      const out = [];
      ctx.indentation += 2;
      for (const [k, v] of value) out.push(`${formatValue(ctx, k, depth)} => ${formatValue(ctx, v, depth)}`);
      ctx.indentation -= 2;
      return out;
    };
  } else if (value instanceof Set) {
    const p = prefix(name, tag, 'Set');
    braces = [`${p.replace(/ $/, '')}(${value.size}) {`, '}'];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    entries = () => {
      const out = [];
      ctx.indentation += 2;
      for (const v of value) out.push(formatValue(ctx, v, depth));
      ctx.indentation -= 2;
      return out;
    };
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    keys = keys.filter((k) => typeof k !== 'string' || !/^(0|[1-9][0-9]*)$/.test(k));
    if (name === 'Buffer') {
      const shown = Math.min(value.length, 50);
      let hex = '';
      for (let i = 0; i < shown; i++) hex += ' ' + value[i].toString(16).padStart(2, '0');
      if (value.length > shown) hex += ` ... ${value.length - shown} more byte${value.length - shown > 1 ? 's' : ''}`;
      return `<Buffer${hex}>`;
    }
    braces = [`${prefix(name, tag, 'TypedArray').replace(/ $/, '')}(${value.length}) [`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extras = kArrayExtras;
    entries = () => {
      const out = [];
      const n = Math.min(value.length, maxArrayLength);
      for (let i = 0; i < n; i++) out.push(formatPrimitive(ctx, value[i]));
      if (value.length > n) out.push(`... ${value.length - n} more item${value.length - n > 1 ? 's' : ''}`);
      return out;
    };
  } else if (typeof value === 'function') {
    base = functionBase(value, name);
    if (keys.length === 0) return base;
  } else if (value instanceof RegExp) {
    base = RegExp.prototype.toString.call(value);
    if (keys.length === 0) return base;
  } else if (value instanceof Date) {
    base = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (keys.length === 0) return base;
  } else if (isError(value)) {
    base = formatError(value, ctx);
    keys = keys.filter((k) => k !== 'stack' && k !== 'message');
    if (keys.length === 0) return base;
  } else if (value instanceof Promise) {
    braces = [`${prefix(name, tag, 'Promise')}{`, '}'];
    entries = () => {
      const [state, result] = promiseState(value);
      if (state === 'pending') return ['<pending>'];
      ctx.indentation += 2;
      const shown = formatValue(ctx, result, depth);
      ctx.indentation -= 2;
      return [state === 'rejected' ? `<rejected> ${shown}` : shown];
    };
  } else if (value instanceof WeakMap || value instanceof WeakSet) {
    braces = [`${prefix(name, tag, value instanceof WeakMap ? 'WeakMap' : 'WeakSet')}{`, '}'];
    entries = () => ['<items unknown>'];
  } else if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    const type = value instanceof Number ? 'Number' : value instanceof String ? 'String' : 'Boolean';
    if (value instanceof String) keys = keys.filter((k) => typeof k !== 'string' || !/^[0-9]+$/.test(k));
    base = `[${type}: ${formatPrimitive(ctx, value.valueOf())}]`;
    if (keys.length === 0) return base;
  } else if (name === 'Object') {
    if (tag !== '') braces[0] = `${prefix(name, tag, 'Object')}{`;
    if (keys.length === 0) return `${braces[0]}}`;
  } else {
    const p = prefix(name, tag, 'Object');
    if (keys.length === 0) return `${p}{}`;
    braces[0] = `${p}{`;
  }

  if (depth > ctx.depth) {
    const label = prefix(name, tag, 'Object').slice(0, -1);
    return Array.isArray(value) ? '[Array]' : name === null ? `[${label}]` : `[${label}]`;
  }
  depth += 1;
  ctx.seen.push(value);
  ctx.currentDepth = depth;
  const output = entries();
  for (const key of keys) output.push(formatProperty(ctx, value, depth, key, extras));
  ctx.seen.pop();
  const index = ctx.circular.get(value);
  if (index !== undefined) {
    const reference = `<ref *${index}>`;
    base = base === '' ? reference : `${reference} ${base}`;
  }
  return reduceToSingleString(ctx, output, base, braces, extras, depth, value);
}

function formatArray(ctx, value, depth) {
  const output = [];
  const n = Math.min(value.length, maxArrayLength);
  let holes = 0;
  const flush = () => {
    if (holes > 0) output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    holes = 0;
  };
  for (let i = 0; i < n; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      holes++;
      continue;
    }
    flush();
    output.push(formatProperty(ctx, value, depth, i, kArrayExtras, true));
  }
  flush();
  if (value.length > n) {
    const rest = value.length - n;
    output.push(`... ${rest} more item${rest > 1 ? 's' : ''}`);
  }
  return output;
}

function formatProperty(ctx, value, depth, key, extras, arrayItem) {
  const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
  let str;
  if (desc.value !== undefined || !('get' in desc || 'set' in desc)) {
    ctx.indentation += 2;
    str = formatValue(ctx, desc.value, depth);
    ctx.indentation -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else {
    str = desc.set !== undefined ? '[Setter]' : 'undefined';
  }
  if (arrayItem) return str;
  let label;
  if (typeof key === 'symbol') label = `[${key.toString()}]`;
  else if (desc.enumerable === false) label = `[${key}]`;
  else if (identifier.test(key)) label = key;
  else label = quote(key);
  return `${label}: ${str}`;
}

function isBelowBreakLength(output, start, base) {
  let total = output.length + start;
  if (total + output.length > breakLength) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function reduceToSingleString(ctx, output, base, braces, extras, depth, value) {
  const entries = output.length;
  if (extras === kArrayExtras && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - depth < compact && entries === output.length) {
    const start = output.length + ctx.indentation + braces[0].length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) {
        return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentation)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

// Long arrays of short items go in columns, as many as keep the block roughly square (Node's
// `groupArrayElements`, its constants included).
function groupArrayElements(ctx, output, value) {
  let total = 0;
  let maxLength = 0;
  let count = output.length;
  if (maxArrayLength < output.length) count--; // the "... more items" entry stays apart
  const separator = 2;
  const lengths = new Array(count);
  for (let i = 0; i < count; i++) {
    const len = output[i].length;
    lengths[i] = len;
    total += len + separator;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separator;
  if (actualMax * 3 + ctx.indentation >= breakLength || !(total / actualMax > 5 || maxLength <= 6)) {
    return output;
  }
  const averageBias = Math.sqrt(actualMax - total / output.length);
  const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
  const columns = Math.min(
    Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
    Math.floor((breakLength - ctx.indentation) / actualMax),
    compact * 4,
    15,
  );
  if (columns <= 1) return output;
  const widths = [];
  for (let i = 0; i < columns; i++) {
    let width = 0;
    for (let j = i; j < output.length; j += columns) if (lengths[j] > width) width = lengths[j];
    widths.push(width + separator);
  }
  // Numbers line up on the right, anything else on the left.
  let numbers = true;
  if (value !== undefined) {
    for (let i = 0; i < output.length; i++) {
      if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
        numbers = false;
        break;
      }
    }
  }
  const grouped = [];
  for (let i = 0; i < count; i += columns) {
    const max = Math.min(i + columns, count);
    let line = '';
    let j = i;
    for (; j < max - 1; j++) {
      line += numbers ? `${output[j]}, `.padStart(widths[j - i]) : `${output[j]}, `.padEnd(widths[j - i]);
    }
    line += numbers ? output[j].padStart(widths[j - i] - separator) : output[j];
    grouped.push(line);
  }
  if (count < output.length) grouped.push(output[count]);
  return grouped;
}

let promiseState = () => ['pending', undefined];

function inspect(value, options) {
  const ctx = {
    depth: options && options.depth !== undefined ? (options.depth === null ? Infinity : options.depth) : 2,
    showHidden: Boolean(options && options.showHidden),
    indentation: 0,
    currentDepth: 0,
    seen: [],
    circular: new Map(),
  };
  return formatValue(ctx, value, 0);
}
inspect.custom = Symbol.for('nodejs.util.inspect.custom');

// util.format: printf-like %s %d %i %f %j %o %O %c %%, then the rest of the arguments, each
// a string as is or inspected.
function format(...args) {
  const first = args[0];
  let a = 0;
  let out = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const next = first[++i];
      if (a + 1 !== args.length) {
        let piece;
        switch (next) {
          case 's': {
            const arg = args[++a];
            if (typeof arg === 'number') piece = formatNumber(arg);
            else if (typeof arg === 'bigint') piece = `${arg}n`;
            else if (typeof arg !== 'object' || arg === null) piece = String(arg);
            else piece = inspect(arg, { depth: 0 });
            break;
          }
          case 'j':
            try { piece = JSON.stringify(args[++a]); } catch { piece = '[Circular]'; }
            break;
          case 'd': {
            const arg = args[++a];
            piece = typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : formatNumber(Number(arg));
            break;
          }
          case 'i': {
            const arg = args[++a];
            piece = typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : formatNumber(parseInt(arg));
            break;
          }
          case 'f': {
            const arg = args[++a];
            piece = typeof arg === 'symbol' ? 'NaN' : formatNumber(parseFloat(arg));
            break;
          }
          case 'o':
          case 'O':
            piece = inspect(args[++a], next === 'o' ? { depth: 4, showHidden: true } : { depth: 2 });
            break;
          case 'c':
            ++a;
            piece = '';
            break;
          case '%':
            out += first.slice(last, i);
            last = i + 1;
            continue;
          default:
            continue;
        }
        if (last !== i - 1) out += first.slice(last, i - 1);
        out += piece;
        last = i + 1;
      } else if (next === '%') {
        out += first.slice(last, i);
        last = i + 1;
      }
    }
    if (last !== 0) {
      a++;
      if (last < first.length) out += first.slice(last);
    }
  }
  while (a < args.length) {
    const value = args[a];
    if (a > 0) out += ' ';
    out += typeof value === 'string' ? value : inspect(value);
    a++;
  }
  return out;
}

function promisify(original) {
  if (typeof original !== 'function') throw new TypeError('The "original" argument must be of type function');
  return function promisified(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => {
        if (err) reject(err);
        else resolve(values.length > 1 ? values : values[0]);
      });
    });
  };
}

function inherits(ctor, superCtor) {
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  Object.setPrototypeOf(ctor, superCtor);
  ctor.super_ = superCtor;
}

module.exports = {
  inspect,
  format,
  promisify,
  inherits,
  isDeepStrictEqual: undefined,
  // Set at boot: reads a promise's state through the engine.
  _setPromiseState(fn) { promiseState = fn; },
};
delete module.exports.isDeepStrictEqual;
