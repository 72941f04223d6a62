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
  var MAX_LOGS = 1000, MAX_TESTS = 1000, MAX_TEXT = 64 * 1024;

  function text(v) {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (typeof v === 'function') return '[function]';
    try { var s = stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  }
  function cut(s) { s = String(s); return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '…' : s; }
  // Line of the first stack frame in the user's script (1-based), or 0.
  function lineOf(stack) {
    var m = /script\.js:(\d+)/.exec(String(stack || ''));
    return m ? Number(m[1]) : 0;
  }
  function Exit() {}
  function AssertFailed(message, expected, actual) { this.message = message; this.expected = expected; this.actual = actual; this.stack = new Error().stack; }

  function headerTools(pairs) {
    return {
      valueOf: function (name) {
        var n = String(name).toLowerCase();
        for (var i = 0; i < pairs.length; i++) if (pairs[i][0].toLowerCase() === n) return pairs[i][1];
        return null;
      },
      valuesOf: function (name) {
        var n = String(name).toLowerCase(), out = [];
        for (var i = 0; i < pairs.length; i++) if (pairs[i][0].toLowerCase() === n) out.push(pairs[i][1]);
        return out;
      },
    };
  }
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
    for (var i = 0; i < list.length; i++) { try { list[i](); } catch (e) { state.fail(e); return; } }
  }

  function runOne(input, fn) {
    var out = { tests: [], logs: [], globals: input.globals, globalsSet: [], requestVars: input.requestVars, exports: {}, exit: false, error: null, headers: null, url: null };
    var currentTest = null;
    function log() {
      if (out.logs.length >= MAX_LOGS) return;
      var parts = [];
      for (var i = 0; i < arguments.length; i++) parts.push(text(arguments[i]));
      out.logs.push(cut(parts.join(' ')));
    }
    socketLog = log;
    pendingFinishers = null;
    function record(name, passed, message, line, expected, actual) {
      if (out.tests.length >= MAX_TESTS) return;
      var t = { name: cut(name), passed: passed, message: message === null ? null : cut(message), line: line };
      if (expected !== undefined) t.expected = cut(text(expected));
      if (actual !== undefined) t.actual = cut(text(actual));
      out.tests.push(t);
    }
    function runTest(name, f) {
      var outer = currentTest;
      currentTest = { failed: false };
      var me = currentTest;
      try {
        if (typeof f === 'function') f();
        if (!me.failed) record(String(name), true, null, 0);
      } catch (e) {
        if (e instanceof Exit) throw e;
        if (!me.failed) {
          if (e instanceof AssertFailed) record(String(name), false, e.message, lineOf(e.stack), e.expected, e.actual);
          else record(String(name), false, e && e.message !== undefined ? String(e.message) : text(e), lineOf(e && e.stack));
        }
      } finally { currentTest = outer; }
    }
    function assert(cond, message) {
      if (cond) return;
      throw new AssertFailed(message === undefined ? 'Assertion failed' : text(message));
    }
    var globals = out.globals;
    var client = {
      global: {
        set: function (name, value) { name = String(name); globals[name] = value === undefined || value === null ? '' : typeof value === 'object' ? text(value) : String(value); if (out.globalsSet.indexOf(name) < 0) out.globalsSet.push(name); },
        get: function (name) { var v = globals[String(name)]; return v === undefined ? null : v; },
        isEmpty: function () { return keys(globals).length === 0; },
        clear: function (name) { delete globals[String(name)]; },
        clearAll: function () { for (var k in globals) delete globals[k]; },
      },
      test: runTest,
      assert: assert,
      log: log,
      exit: function () { out.exit = true; throw new Exit(); },
    };
    var requestVars = out.requestVars;
    var req = input.request || { method: '', url: '', headers: [], body: null };
    var sent = input.phase === 'post';
    function subst(t) { return t === null || t === undefined ? t : sent ? t : hostSubst(String(t)); }
    function header(pair) {
      return { name: pair[0], value: pair[1], getRawValue: function () { return pair[1]; }, tryGetSubstitutedValue: function () { return subst(pair[1]); } };
    }
    var request = {
      method: req.method,
      url: { getRaw: function () { return req.url; }, tryGetSubstituted: function () { return subst(req.url); }, toString: function () { return req.url; } },
      headers: {
        all: function () { return req.headers.map(header); },
        findByName: function (name) { var n = String(name).toLowerCase(); for (var i = 0; i < req.headers.length; i++) if (req.headers[i][0].toLowerCase() === n) return header(req.headers[i]); return null; },
      },
      body: { getRaw: function () { return req.body; }, tryGetSubstituted: function () { return subst(req.body); } },
      environment: { get: function (name) { return parse(hostLookup('env', String(name))); } },
      variables: {
        set: function (name, value) { requestVars[String(name)] = value === undefined || value === null ? '' : typeof value === 'object' ? text(value) : String(value); },
        get: function (name) { name = String(name); if (requestVars[name] !== undefined) return requestVars[name]; return parse(hostLookup('var', name)); },
        clear: function (name) { delete requestVars[String(name)]; },
        clearAll: function () { for (var k in requestVars) delete requestVars[k]; },
        isEmpty: function () { return keys(requestVars).length === 0; },
      },
    };
    var response = null;
    if (input.response) {
      var r = input.response, ct = r.contentType, body = r.body;
      var isJson = ct && /(^|[/+])json$/i.test(ct.mimeType || '');
      var parsed = body;
      if (body !== null && (isJson || (ct && !ct.mimeType))) { try { parsed = parse(body); } catch (e) { parsed = body; } }
      var tools = headerTools(r.headers);
      response = {
        status: r.status, statusCode: r.status, statusMessage: r.reason,
        body: input.dialect === 'httpyac' ? parsed : (isJson ? parsed : body),
        parsedBody: parsed, rawBody: body,
        headers: input.dialect === 'httpyac' ? headerObject(r.headers) : tools,
        contentType: { mimeType: ct ? ct.mimeType : null, charset: ct ? ct.charset : null },
        duration: r.durationMs, timings: { total: r.durationMs },
      };
      if (input.dialect === 'httpyac') { response.headers.valueOf = tools.valueOf; response.headers.valuesOf = tools.valuesOf; }
      if (r.socket) socketParts(response, r.socket, body, input.dialect !== 'httpyac');
    }
    var consoleApi = { log: log, info: log, warn: log, error: log, debug: log, trace: log };

    var args;
    if (input.dialect === 'httpyac') {
      var exportsObj = out.exports;
      var hreq = { method: req.method, url: req.url, headers: headerObject(req.headers), body: req.body };
      var scope = {};
      var vars = input.variables || {};
      for (var k in vars) scope[k] = vars[k];
      for (var k2 in globals) if (scope[k2] === undefined) scope[k2] = globals[k2];
      scope.exports = exportsObj; scope.module = { exports: exportsObj }; scope.request = hreq; scope.response = response;
      scope.test = runTest; scope.console = consoleApi; scope.$global = globals; scope.client = client; scope.crypto = cryptoApi;
      scope.httpyac = {}; scope.sleep = function () {};
      scope.assert = function (cond, message) { assert(cond, message); };
      scope.assert.equal = function (a, b, message) { if (a != b) throw new AssertFailed(message === undefined ? text(a) + ' == ' + text(b) : text(message), b, a); };
      scope.assert.strictEqual = function (a, b, message) { if (a !== b) throw new AssertFailed(message === undefined ? text(a) + ' === ' + text(b) : text(message), b, a); };
      scope.assert.ok = function (cond, message) { assert(cond, message); };
      args = [scope, function (captured) { for (var n in captured) if (captured[n] !== undefined && typeof captured[n] !== 'function') exportsObj[n] = captured[n]; }];
      out.finish = function () {
        var hh = [];
        for (var hn in hreq.headers) { var hv = hreq.headers[hn]; if (isArray(hv)) for (var j = 0; j < hv.length; j++) hh.push([hn, String(hv[j])]); else if (hv !== undefined && hv !== null) hh.push([hn, String(hv)]); }
        out.headers = hh;
        out.url = String(hreq.url);
      };
    } else {
      args = [client, request, response, random, cryptoApi, consoleApi];
    }
    return { out: out, args: args, fail: function (e) {
      if (e instanceof Exit) return;
      if (e instanceof AssertFailed) record(e.message, false, e.message, lineOf(e.stack), e.expected, e.actual);
      else out.error = { message: e && e.message !== undefined ? String(e.message) : text(e), line: lineOf(e && e.stack), name: e && e.name ? String(e.name) : 'Error' };
    } };
  }

  function finish(state) {
    var o = state.out;
    if (o.finish) { try { o.finish(); } catch (e) { /* headers left as they were */ } delete o.finish; }
    var ex = {};
    for (var k in o.exports) { var v = o.exports[k]; if (typeof v !== 'function' && v !== undefined) ex[k] = typeof v === 'string' ? v : text(v); }
    o.exports = ex;
    return stringify(o);
  }

  var pending = null;
  g.__wl_run = function (inputJson, fn) {
    var state = runOne(parse(inputJson), fn);
    var result;
    try {
      result = fn.apply(undefined, state.args);
    } catch (e) {
      state.fail(e);
      return finish(state);
    }
    if (!(result && typeof result.then === 'function')) runFinishers(state);
    if (result && typeof result.then === 'function') {
      pending = { state: state, done: false };
      var p = pending;
      result.then(function () { runFinishers(state); p.done = true; }, function (e) { state.fail(e); p.done = true; });
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
