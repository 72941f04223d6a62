// The script API as JavaScript that runs *inside* the QuickJS sandbox, evaluated once per context. It builds
// the JetBrains objects (client, request, response, $random, crypto) and the httpyac ones (exports, test,
// console, response.parsedBody) from one JSON input per script and hands back one JSON output: nothing but
// strings crosses the boundary. The host functions it uses (digest, variable lookup, substitution) take and
// return strings, and are removed from the global object before any user code runs.
export const PRELUDE_FILE = 'wirelens-prelude.js';
export const SCRIPT_FILE = 'script.js';

export const PRELUDE = String.raw`(function (g) {
  'use strict';
  var hostDigest = g.__wl_host_digest, hostLookup = g.__wl_host_lookup, hostSubst = g.__wl_host_subst;
  delete g.__wl_host_digest; delete g.__wl_host_lookup; delete g.__wl_host_subst;
  var stringify = JSON.stringify, parse = JSON.parse, isArray = Array.isArray, keys = Object.keys;
  // The built-ins every script relies on, as they were before any user code: a script that adds to them or
  // replaces one (prototype pollution) gets a fresh context for the next script, so the tricks of one script never
  // reach another, nor the prelude's own bookkeeping.
  var ownNames = Object.getOwnPropertyNames;
  var INTRINSICS = [Object, Object.prototype, Array, Array.prototype, Function.prototype, String, String.prototype, Number.prototype,
    Boolean.prototype, RegExp.prototype, Error.prototype, Date.prototype, Promise.prototype, JSON, Math];
  var intrinsicCounts = INTRINSICS.map(function (o) { return ownNames(o).length; });
  var CRITICAL = [[Array.prototype, 'push'], [Array.prototype, 'join'], [Array.prototype, 'map'], [Array.prototype, 'slice'], [Array.prototype, 'indexOf'],
    [Array.prototype, 'filter'], [String.prototype, 'toLowerCase'], [String.prototype, 'slice'], [String.prototype, 'split'], [RegExp.prototype, 'exec'],
    [RegExp.prototype, 'test'], [Function.prototype, 'apply'], [Function.prototype, 'call'], [Object, 'keys'], [JSON, 'stringify'], [JSON, 'parse'],
    [Object.prototype, 'toString'], [Object.prototype, 'hasOwnProperty']];
  var criticalValues = CRITICAL.map(function (c) { return c[0][c[1]]; });
  function tampered() {
    for (var i = 0; i < INTRINSICS.length; i++) if (ownNames(INTRINSICS[i]).length !== intrinsicCounts[i]) return true;
    for (var j = 0; j < CRITICAL.length; j++) if (CRITICAL[j][0][CRITICAL[j][1]] !== criticalValues[j]) return true;
    return false;
  }
  var MAX_LOGS = 1000, MAX_TESTS = 1000, MAX_TEXT = 64 * 1024;

  function text(v) {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (typeof v === 'function') return '[function]';
    try { var s = stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  }
  function cut(s) { s = String(s); return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '\u2026' : s; }
  // Line of the first stack frame in the user's script (1-based), or 0.
  function lineOf(stack) {
    var m = /script\.js:(\d+)/.exec(String(stack || ''));
    return m ? Number(m[1]) : 0;
  }
  function Exit() {}
  function AssertFailed(message, expected, actual) { this.message = message; this.expected = expected; this.actual = actual; this.stack = new Error().stack; }

  function headerObject(pairs) {
    var o = {};
    for (var i = 0; i < pairs.length; i++) {
      var n = pairs[i][0].toLowerCase();
      if (o[n] === undefined) o[n] = pairs[i][1];
      else if (isArray(o[n])) o[n].push(pairs[i][1]);
      else o[n] = [o[n], pairs[i][1]];
    }
    return o;
  }

  // --- crypto (JetBrains): builders that collect input, digests computed by the host (node:crypto).
  function hasher(alg, key) {
    var parts = [];
    var h = {
      updateWithText: function (t) { parts.push(['utf8', String(t)]); return h; },
      updateWithHex: function (t) { parts.push(['hex', String(t)]); return h; },
      updateWithBase64: function (t, urlSafe) { parts.push([urlSafe ? 'base64url' : 'base64', String(t)]); return h; },
      digest: function () {
        var r = parse(hostDigest(stringify({ alg: alg, parts: parts, key: key })));
        if (r.error) throw new Error(r.error);
        return {
          toHex: function () { return r.hex; },
          toBase64: function (urlSafe) { return urlSafe ? r.base64url : r.base64; },
        };
      },
    };
    return h;
  }
  function hmacInit(alg) {
    return {
      withTextSecret: function (s) { return hasher(alg, ['utf8', String(s)]); },
      withHexSecret: function (s) { return hasher(alg, ['hex', String(s)]); },
      withBase64Secret: function (s, urlSafe) { return hasher(alg, [urlSafe ? 'base64url' : 'base64', String(s)]); },
    };
  }
  var cryptoApi = {
    sha1: function () { return hasher('sha1', null); },
    sha256: function () { return hasher('sha256', null); },
    sha384: function () { return hasher('sha384', null); },
    sha512: function () { return hasher('sha512', null); },
    md5: function () { return hasher('md5', null); },
    hmac: {
      sha1: function () { return hmacInit('sha1'); },
      sha256: function () { return hmacInit('sha256'); },
      sha384: function () { return hmacInit('sha384'); },
      sha512: function () { return hmacInit('sha512'); },
      md5: function () { return hmacInit('md5'); },
    },
  };

  // --- $random (JetBrains): the dynamic variables as script helpers.
  function pick(chars, n) { var s = ''; n = Math.max(0, Math.min(Number(n) || 0, 100000)); for (var i = 0; i < n; i++) s += chars[Math.floor(Math.random() * chars.length)]; return s; }
  var LOWER = 'abcdefghijklmnopqrstuvwxyz', UPPER = LOWER.toUpperCase(), DIGITS = '0123456789';
  function uuid() {
    var h = pick('0123456789abcdef', 32);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-4' + h.slice(13, 16) + '-' + '89ab'[Math.floor(Math.random() * 4)] + h.slice(17, 20) + '-' + h.slice(20, 32);
  }
  var random = {
    get uuid() { return uuid(); },
    get email() { return pick(LOWER, 8) + '@' + pick(LOWER, 6) + '.test'; },
    get alphabetic() { return function (n) { return pick(LOWER + UPPER, n); }; },
    get alphanumeric() { return function (n) { return pick(LOWER + UPPER + DIGITS + '_', n); }; },
    get hexadecimal() { return function (n) { return pick('0123456789abcdef', n); }; },
    integer: function (from, to) { from = from === undefined ? 0 : Number(from); to = to === undefined ? 1000 : Number(to); return Math.floor(from + Math.random() * (to - from)); },
    float: function (from, to) { from = from === undefined ? 0 : Number(from); to = to === undefined ? 1000 : Number(to); return from + Math.random() * (to - from); },
    get timestamp() { return Math.floor(Date.now() / 1000); },
    get isoTimestamp() { return new Date().toISOString(); },
  };

  // Socket blocks (TCP, UDP, WebSocket): response.messages in order, and for JetBrains the body as the stream its
  // WebSocket handlers read: onEachMessage(message, unsubscribe, output), onEachLine, onFinish. The connection has
  // ended when handlers run, so the received messages are replayed in order and output() cannot send.
  function socketParts(response, socket, body, jetbrains) {
    var msgs = [], data = [];
    for (var i = 0; i < socket.messages.length; i++) {
      var m = socket.messages[i], d = m.text;
      if (d !== null) { try { d = parse(d); } catch (e) { d = m.text; } }
      var one = { direction: m.direction, at: m.at, type: m.type, text: m.text, base64: m.base64, size: m.size, data: d };
      if (m.closeCode !== undefined) one.closeCode = m.closeCode;
      msgs.push(one);
      if (m.direction === 'received' && m.type !== 'close' && m.type !== 'ping' && m.type !== 'pong') data.push(one);
    }
    response.messages = msgs;
    response.kind = socket.kind;
    if (!jetbrains) return;
    var finishers = [];
    function replay(items, cb) {
      var stop = false, unsubscribe = function () { stop = true; };
      var output = function () { socketLog('output() is not sent: the connection has closed by the time handlers run'); };
      for (var j = 0; j < items.length && !stop; j++) cb(items[j], unsubscribe, output);
    }
    response.body = {
      onEachMessage: function (cb) { replay(data.map(function (x) { return x.data; }), cb); },
      onEachLine: function (cb) { replay(String(body).split(/\r?\n/).filter(function (l, k, all) { return l !== '' || k < all.length - 1; }), cb); },
      onFinish: function (cb) { finishers.push(cb); },
      toString: function () { return body; },
      text: body,
    };
    pendingFinishers = finishers;
  }
  var socketLog = function () {};
  var pendingFinishers = null;
  // onFinish callbacks run once the handler itself has run (the stream has ended by then).
  function runFinishers(state) {
    var list = pendingFinishers;
    pendingFinishers = null;
    if (!list) return;
    for (var i = 0; i < list.length; i++) { try { list[i](); } catch (e) { fail(state, e); return; } }
  }

  // The API objects are built once per context and frozen; each script's data lives in 'cur' (one script runs at a
  // time). A fresh set per script cost most of a warm script's time (dozens of closures, and the cycle collector
  // to free them); frozen, a script cannot change them for the scripts after it either.
  var cur = null;
  function log() {
    var out = cur.out;
    if (out.logs.length >= MAX_LOGS) return;
    var parts = [];
    for (var i = 0; i < arguments.length; i++) parts.push(text(arguments[i]));
    out.logs.push(cut(parts.join(' ')));
  }
  function record(name, passed, message, line, expected, actual) {
    var out = cur.out;
    if (out.tests.length >= MAX_TESTS) return;
    var t = { name: cut(name), passed: passed, message: message === null ? null : cut(message), line: line };
    if (expected !== undefined) t.expected = cut(text(expected));
    if (actual !== undefined) t.actual = cut(text(actual));
    out.tests.push(t);
  }
  function runTest(name, f) {
    var outer = cur.currentTest;
    var me = { failed: false };
    cur.currentTest = me;
    try {
      if (typeof f === 'function') f();
      if (!me.failed) record(String(name), true, null, 0);
    } catch (e) {
      if (e instanceof Exit) throw e;
      if (!me.failed) {
        if (e instanceof AssertFailed) record(String(name), false, e.message, lineOf(e.stack), e.expected, e.actual);
        else record(String(name), false, e && e.message !== undefined ? String(e.message) : text(e), lineOf(e && e.stack));
      }
    } finally { cur.currentTest = outer; }
  }
  function assert(cond, message) {
    if (cond) return;
    throw new AssertFailed(message === undefined ? 'Assertion failed' : text(message));
  }
  function asText(value) { return value === undefined || value === null ? '' : typeof value === 'object' ? text(value) : String(value); }
  // Frozen before its properties are visited, so cycles (a function's prototype.constructor) end.
  function deepFreeze(o) {
    Object.freeze(o);
    var ks = Object.getOwnPropertyNames(o);
    for (var i = 0; i < ks.length; i++) {
      var d = Object.getOwnPropertyDescriptor(o, ks[i]);
      if (d && 'value' in d && d.value && (typeof d.value === 'object' || typeof d.value === 'function') && !Object.isFrozen(d.value)) deepFreeze(d.value);
    }
    return o;
  }
  var client = deepFreeze({
    global: {
      set: function (name, value) { var out = cur.out; name = String(name); out.globals[name] = asText(value); if (out.globalsSet.indexOf(name) < 0) out.globalsSet.push(name); },
      get: function (name) { var v = cur.out.globals[String(name)]; return v === undefined ? null : v; },
      isEmpty: function () { return keys(cur.out.globals).length === 0; },
      clear: function (name) { delete cur.out.globals[String(name)]; },
      clearAll: function () { var gl = cur.out.globals; for (var k in gl) delete gl[k]; },
    },
    test: runTest,
    assert: assert,
    log: log,
    exit: function () { cur.out.exit = true; throw new Exit(); },
  });
  function subst(t) { return t === null || t === undefined ? t : cur.sent ? t : hostSubst(String(t)); }
  function header(pair) {
    return { name: pair[0], value: pair[1], getRawValue: function () { return pair[1]; }, tryGetSubstitutedValue: function () { return subst(pair[1]); } };
  }
  var request = deepFreeze({
    get method() { return cur.req.method; },
    url: { getRaw: function () { return cur.req.url; }, tryGetSubstituted: function () { return subst(cur.req.url); }, toString: function () { return cur.req.url; } },
    headers: {
      all: function () { return cur.req.headers.map(header); },
      findByName: function (name) { var n = String(name).toLowerCase(), hs = cur.req.headers; for (var i = 0; i < hs.length; i++) if (hs[i][0].toLowerCase() === n) return header(hs[i]); return null; },
    },
    body: { getRaw: function () { return cur.req.body; }, tryGetSubstituted: function () { return subst(cur.req.body); } },
    environment: { get: function (name) { return parse(hostLookup('env', String(name))); } },
    variables: {
      set: function (name, value) { cur.out.requestVars[String(name)] = asText(value); },
      get: function (name) { name = String(name); var v = cur.out.requestVars[name]; if (v !== undefined) return v; return parse(hostLookup('var', name)); },
      clear: function (name) { delete cur.out.requestVars[String(name)]; },
      clearAll: function () { var rv = cur.out.requestVars; for (var k in rv) delete rv[k]; },
      isEmpty: function () { return keys(cur.out.requestVars).length === 0; },
    },
  });
  // JetBrains response.headers: reads the headers of the response being handled.
  var responseHeaders = deepFreeze({
    valueOf: function (name) {
      var n = String(name).toLowerCase(), pairs = cur.responseHeaders;
      for (var i = 0; i < pairs.length; i++) if (pairs[i][0].toLowerCase() === n) return pairs[i][1];
      return null;
    },
    valuesOf: function (name) {
      var n = String(name).toLowerCase(), pairs = cur.responseHeaders, out = [];
      for (var i = 0; i < pairs.length; i++) if (pairs[i][0].toLowerCase() === n) out.push(pairs[i][1]);
      return out;
    },
  });
  var consoleApi = deepFreeze({ log: log, info: log, warn: log, error: log, debug: log, trace: log });
  var yacAssert = function (cond, message) { assert(cond, message); };
  yacAssert.equal = function (a, b, message) { if (a != b) throw new AssertFailed(message === undefined ? text(a) + ' == ' + text(b) : text(message), b, a); };
  yacAssert.strictEqual = function (a, b, message) { if (a !== b) throw new AssertFailed(message === undefined ? text(a) + ' === ' + text(b) : text(message), b, a); };
  yacAssert.ok = function (cond, message) { assert(cond, message); };
  deepFreeze(yacAssert);
  function noop() {}
  var JSON_TYPE = /(^|[/+])json$/i;

  function fail(state, e) {
    if (e instanceof Exit) return;
    if (e instanceof AssertFailed) record(e.message, false, e.message, lineOf(e.stack), e.expected, e.actual);
    else state.out.error = { message: e && e.message !== undefined ? String(e.message) : text(e), line: lineOf(e && e.stack), name: e && e.name ? String(e.name) : 'Error' };
  }

  function runOne(input) {
    var out = { tests: [], logs: [], globals: input.globals, globalsSet: [], requestVars: input.requestVars, exports: {}, exit: false, error: null, headers: null, url: null };
    var req = input.request || { method: '', url: '', headers: [], body: null };
    var state = { out: out, args: null, req: req, sent: input.phase === 'post', currentTest: null, responseHeaders: [] };
    cur = state;
    socketLog = log;
    pendingFinishers = null;
    var yac = input.dialect === 'httpyac';
    var response = null;
    if (input.response) {
      var r = input.response, ct = r.contentType, body = r.body;
      var isJson = ct && JSON_TYPE.test(ct.mimeType || '');
      var parsed = body;
      if (body !== null && (isJson || (ct && !ct.mimeType))) { try { parsed = parse(body); } catch (e) { parsed = body; } }
      state.responseHeaders = r.headers;
      response = {
        status: r.status, statusCode: r.status, statusMessage: r.reason,
        body: yac ? parsed : (isJson ? parsed : body),
        parsedBody: parsed, rawBody: body,
        headers: yac ? headerObject(r.headers) : responseHeaders,
        contentType: { mimeType: ct ? ct.mimeType : null, charset: ct ? ct.charset : null },
        duration: r.durationMs, timings: { total: r.durationMs },
      };
      if (yac) { response.headers.valueOf = responseHeaders.valueOf; response.headers.valuesOf = responseHeaders.valuesOf; }
      if (r.socket) socketParts(response, r.socket, body, !yac);
    }

    if (yac) {
      var exportsObj = out.exports, globals = out.globals;
      var hreq = { method: req.method, url: req.url, headers: headerObject(req.headers), body: req.body };
      var scope = {};
      var vars = input.variables || {};
      for (var k in vars) scope[k] = vars[k];
      for (var k2 in globals) if (scope[k2] === undefined) scope[k2] = globals[k2];
      scope.exports = exportsObj; scope.module = { exports: exportsObj }; scope.request = hreq; scope.response = response;
      scope.test = runTest; scope.console = consoleApi; scope.$global = globals; scope.client = client; scope.crypto = cryptoApi;
      scope.httpyac = {}; scope.sleep = noop;
      scope.assert = yacAssert;
      state.args = [scope, function (captured) { for (var n in captured) if (captured[n] !== undefined && typeof captured[n] !== 'function') exportsObj[n] = captured[n]; }];
      out.finish = function () {
        var hh = [];
        for (var hn in hreq.headers) { var hv = hreq.headers[hn]; if (isArray(hv)) for (var j = 0; j < hv.length; j++) hh.push([hn, String(hv[j])]); else if (hv !== undefined && hv !== null) hh.push([hn, String(hv)]); }
        out.headers = hh;
        out.url = String(hreq.url);
      };
    } else {
      state.args = [client, request, response, random, cryptoApi, consoleApi];
    }
    return state;
  }

  function finish(state) {
    var o = state.out;
    if (o.finish) { try { o.finish(); } catch (e) { /* headers left as they were */ } delete o.finish; }
    var ex = {};
    for (var k in o.exports) { var v = o.exports[k]; if (typeof v !== 'function' && v !== undefined) ex[k] = typeof v === 'string' ? v : text(v); }
    o.exports = ex;
    if (tampered()) o.tampered = true;
    return stringify(o);
  }

  var pending = null;
  g.__wl_run = function (inputJson, fn) {
    var state = runOne(parse(inputJson));
    var result;
    try {
      result = fn.apply(undefined, state.args);
    } catch (e) {
      fail(state, e);
      return finish(state);
    }
    if (!(result && typeof result.then === 'function')) runFinishers(state);
    if (result && typeof result.then === 'function') {
      pending = { state: state, done: false };
      var p = pending;
      result.then(function () { runFinishers(state); p.done = true; }, function (e) { fail(state, e); p.done = true; });
      return '';
    }
    return finish(state);
  };
  g.__wl_take = function () {
    var p = pending;
    pending = null;
    if (!p) return '';
    if (!p.done) p.state.out.error = { message: 'The script is still waiting (a promise never settled); nothing in the sandbox can complete it.', line: 0, name: 'Error' };
    return finish(p.state);
  };
  g.__wl_eval = function (inputJson, fn) {
    var input = parse(inputJson);
    var v;
    try { v = fn(input.scope); } catch (e) { return stringify({ error: e && e.message !== undefined ? String(e.message) : text(e) }); }
    if (v === undefined) return stringify({ undef: true });
    var j = null;
    try { j = stringify(v); } catch (e) { j = null; }
    return stringify({ json: j === undefined ? null : j, text: text(v) });
  };
})(globalThis);`;
