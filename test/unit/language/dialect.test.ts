// The tool a file is written for (dialect.ts), and the two readings that depend on it: bare `@timeout` numbers
// (JetBrains: seconds, httpyac: milliseconds) and httpyac's `\{\{ … \}\}` escape. Also httpyac's other protocols:
// SSE as a GET, WS onto WebSocket blocks, GRPC / MQTT / AMQP / KAFKA refused by name.
import * as assert from 'node:assert/strict';
import { parseHttp, resolveRequest } from '../../../src/language';
import type { BodyPart } from '../../../src/shared/request';

const bodyText = (parts: BodyPart[] | null): string =>
  (parts ?? []).map((p) => (p.kind === 'bytes' ? Buffer.from(p.data).toString('utf8') : '')).join('');

async function resolveFirst(text: string): Promise<Awaited<ReturnType<typeof resolveRequest>>> {
  const doc = parseHttp(text);
  return resolveRequest(doc, doc.requests[0], { environments: undefined, envFiles: false });
}

describe('language/dialect: the tool a file is written for', () => {
  it('tells JetBrains, httpyac and REST Client files by their home forms, and no dialect for none or several', () => {
    assert.equal(parseHttp('GET http://127.0.0.1/\n\n> {% client.test("x", () => {}); %}\n').dialect?.tool, 'jetbrains');
    assert.equal(parseHttp('# @connection-timeout 2 m\nGET http://127.0.0.1/\n').dialect?.tool, 'jetbrains');
    assert.equal(parseHttp('GET http://127.0.0.1/?u={{$env.USER}}\n').dialect?.tool, 'jetbrains');
    assert.equal(parseHttp('GET http://127.0.0.1/\n\n?? status == 200\n').dialect?.tool, 'httpyac');
    assert.equal(parseHttp('# @keepStreaming\nSSE http://127.0.0.1/\n').dialect?.tool, 'httpyac');
    assert.equal(parseHttp('GET http://127.0.0.1/?t={{$datetime iso8601}}\n').dialect?.tool, 'restclient');
    assert.equal(parseHttp('GET http://127.0.0.1/\n').dialect?.tool, null);
    const mixed = parseHttp('# @sleep 10\nGET http://127.0.0.1/\n\n> {% client.log(1) %}\n').dialect;
    assert.equal(mixed?.tool, null);
    assert.deepEqual(
      mixed?.evidence.map((e) => [e.tool, e.line]),
      [
        ['httpyac', 0],
        ['jetbrains', 3],
      ],
    );
  });
});

describe('language/dialect: a bare number in @timeout', () => {
  it('is seconds in a JetBrains file (@timeout and @connection-timeout), as its docs say, with an info naming why', async () => {
    const text = '# @connection-timeout 2\n# @timeout 3\nGET http://127.0.0.1/\n';
    const r = await resolveFirst(text);
    assert.equal(r.request?.options.connectTimeoutMs, 2000);
    assert.equal(r.request?.options.timeoutMs, 3000);
    const d = parseHttp(text).diagnostics.find((x) => x.line === 1);
    assert.equal(d?.severity, 'info');
    assert.match(d?.message ?? '', /read as 3 s: this file is written for the JetBrains HTTP Client \(# @connection-timeout on line 1\)/);
  });

  it('stays milliseconds in an httpyac file and in a file of no dialect, with a warning that names both readings', async () => {
    const yac = '# @timeout 2\n# @sleep 1\nGET http://127.0.0.1/\n';
    assert.equal((await resolveFirst(yac)).request?.options.timeoutMs, 2);
    assert.match(
      parseHttp(yac).diagnostics.find((x) => x.line === 0)?.message ?? '',
      /read as 2 ms \(httpyac; this file is written for httpyac \(# @sleep on line 2\)\)/,
    );
    const plain = '# @timeout 2\nGET http://127.0.0.1/\n';
    assert.equal((await resolveFirst(plain)).request?.options.timeoutMs, 2);
    const w = parseHttp(plain).diagnostics.find((x) => x.line === 0);
    assert.equal(w?.severity, 'warning');
    assert.match(w?.message ?? '', /nothing in this file is JetBrains-only.*reads a bare number as seconds/);
  });

  it('reads a written unit the same way in every file, and @max-time (Wire Lens) always in milliseconds', async () => {
    const r = await resolveFirst('# @connection-timeout 2 m\n# @timeout 500 ms\n# @max-time 900\nGET http://127.0.0.1/\n');
    assert.equal(r.request?.options.connectTimeoutMs, 120_000);
    assert.equal(r.request?.options.timeoutMs, 500);
    assert.equal(r.request?.options.maxTimeMs, 900);
  });
});

describe("language/dialect: httpyac's \\{\\{ \\}\\} escape", () => {
  const body = '{"t": "My \\{\\{verb\\}\\} template"}';
  it('is read in an httpyac file and in a file of no dialect (no other tool defines the form)', async () => {
    for (const text of [`POST http://127.0.0.1/\nX-T: \\{\\{h\\}\\}\n\n${body}\n`, `# @sleep 1\nPOST http://127.0.0.1/\n\n${body}\n`]) {
      const r = await resolveFirst(text);
      assert.equal(bodyText(r.request?.body ?? null), '{"t": "My {{verb}} template"}');
    }
    const h = await resolveFirst(`POST http://127.0.0.1/\nX-T: \\{\\{h\\}\\}\n\n${body}\n`);
    assert.deepEqual(
      h.request?.headers.find(([n]) => n === 'X-T'),
      ['X-T', '{{h}}'],
    );
  });

  it('is sent as written (backslashes included) in a JetBrains or REST Client file', async () => {
    for (const text of [
      `POST http://127.0.0.1/\nContent-Type: application/json\n\n${body}\n\n> {% client.log(1) %}\n`,
      `POST http://127.0.0.1/?t={{$datetime iso8601}}\n\n${body}\n`,
    ]) {
      const r = await resolveFirst(text);
      assert.equal(bodyText(r.request?.body ?? null), body);
    }
  });
});

describe("language/protocols: httpyac's other protocols", () => {
  it('refuses GRPC, MQTT, MQTTS, AMQP and KAFKA request lines (and grpc:// mqtt:// amqp:// URLs) by name, before anything is sent', async () => {
    for (const [line, want] of [
      ['GRPC 127.0.0.1:50051/HelloService/sayHello', /^GRPC requests \(httpyac: gRPC\) are not supported by Wire Lens; nothing is sent\.$/],
      ['MQTT tcp://127.0.0.1:1883', /^MQTT requests \(httpyac: MQTT\)/],
      ['MQTTS tcp://127.0.0.1:8883', /^MQTTS requests/],
      ['AMQP amqp://guest:guest@127.0.0.1', /^AMQP requests \(httpyac: AMQP \(RabbitMQ\)\)/],
      ['KAFKA 127.0.0.1:9092', /^KAFKA requests \(httpyac: Kafka\)/],
      ['grpc://127.0.0.1:50051/HelloService/sayHello', /^GRPC requests/],
      ['amqps://127.0.0.1', /^AMQP requests/],
    ] as const) {
      const text = `${line}\n{\n  "greeting": "world"\n}\n`;
      const doc = parseHttp(text);
      assert.equal(doc.requests.length, 1, line);
      const errs = doc.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errs.length, 1, `${line}: ${JSON.stringify(errs)}`);
      assert.equal(errs[0].line, 0);
      assert.match(errs[0].message, want);
      const r = await resolveRequest(doc, doc.requests[0]);
      assert.equal(r.request, null);
      assert.match(r.errors[0].message, /nothing is sent\.$/);
    }
  });

  it("refuses httpyac's proto < file, and keeps two gRPC requests of one region apart", () => {
    const doc = parseHttp('proto < ./hello.proto\nkeepCase: true\n\nGRPC 127.0.0.1:1/S/a\n{}\n\n\nGRPC 127.0.0.1:1/S/b\n{}\n');
    assert.deepEqual(
      doc.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message.slice(0, 20)]),
      [
        [0, 'proto < file loads p'],
        [3, 'GRPC requests (httpy'],
        [7, 'GRPC requests (httpy'],
      ],
    );
    assert.equal(doc.requests.length, 2);
  });

  it('sends SSE (and EVENTSOURCE) as a GET with Accept: text/event-stream and Cache-Control: no-cache; Event: is not sent', async () => {
    for (const kw of ['SSE', 'EVENTSOURCE']) {
      const r = await resolveFirst(`${kw} http://127.0.0.1:9/events\nEvent: message\n`);
      assert.equal(r.request?.method, 'GET');
      assert.deepEqual(r.request?.headers, [
        ['Accept', 'text/event-stream'],
        ['Cache-Control', 'no-cache'],
      ]);
      assert.equal(r.request?.body, null);
      assert.match(r.request?.notes?.[0].detail ?? '', /Event: message chooses the events httpyac shows; it is not sent/);
      assert.equal(r.request?.options.timeoutMs, undefined);
    }
    const own = await resolveFirst('SSE http://127.0.0.1:9/events\nAccept: text/event-stream;q=1\nLast-Event-ID: 7\n');
    assert.deepEqual(own.request?.headers, [
      ['Accept', 'text/event-stream;q=1'],
      ['Last-Event-ID', '7'],
      ['Cache-Control', 'no-cache'],
    ]);
  });

  it('reads @keepStreaming on SSE as no idle timeout (unless @timeout sets one), and refuses a body', async () => {
    assert.equal((await resolveFirst('# @keepStreaming\nSSE http://127.0.0.1:9/\n')).request?.options.timeoutMs, 0);
    assert.equal((await resolveFirst('# @keepStreaming\n# @timeout 5 s\nSSE http://127.0.0.1:9/\n')).request?.options.timeoutMs, 5000);
    const body = parseHttp('SSE http://127.0.0.1:9/\n\nhello\n');
    assert.match(body.diagnostics.find((d) => d.severity === 'error')?.message ?? '', /An SSE request .* has no body/);
  });

  it('maps WS, WSS and a bare ws:// URL onto WebSocket blocks; @keepStreaming reads until the server closes', async () => {
    for (const line of ['WS ws://127.0.0.1:9/x', 'WSS wss://127.0.0.1:9/x', 'ws://127.0.0.1:9/x']) {
      const r = await resolveFirst(`${line}\n\n{\n  "test": "httpyac"\n}\n`);
      assert.equal(r.request?.socket?.kind, 'websocket', line);
      assert.equal(Buffer.from((r.request?.socket?.steps[0] as { data: Uint8Array }).data).toString(), '{\n  "test": "httpyac"\n}');
    }
    const keep = await resolveFirst('# @keepStreaming\nWS ws://127.0.0.1:9/x\n');
    assert.deepEqual(keep.request?.socket?.until, { kind: 'close' });
  });

  it('refuses a WebSocket whose httpyac @streaming script sends with $requestClient (Wire Lens would not send those messages)', () => {
    const doc = parseHttp('WS ws://127.0.0.1:9/\n\n{"a": 1}\n\n{{@streaming\n  $requestClient.send({"b": 2});\n}}\n');
    const e = doc.diagnostics.find((d) => d.severity === 'error');
    assert.equal(e?.line, 4);
    assert.match(e?.message ?? '', /write each further message after a === line.*Nothing is sent\.$/);
    const quiet = parseHttp('WS ws://127.0.0.1:9/\n\n{"a": 1}\n\n{{@streaming\n  await sleep(10);\n}}\n');
    assert.equal(quiet.diagnostics.filter((d) => d.severity === 'error').length, 0);
  });
});
