// Workspace trust: the glue's decision (src/editor/trust.ts) and the manifest. The real workbench in Restricted Mode
// (an untrusted folder in code-server) is exercised by test/ui/restricted.ui.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHttp, resolveRequest } from '../../../src/language';
import { restrictContext, restrictEngineOptions, trustPolicy } from '../../../src/editor/trust';

const ROOT = path.resolve(__dirname, '../../../..');

describe('editor/trust: Restricted Mode', () => {
  it('a trusted workspace keeps everything', () => {
    const p = trustPolicy(true);
    assert.deepEqual(p, { trusted: true, scripts: true, envFilesOutsideWorkspace: true, processEnv: true, clientCertificates: true });
    const ctx = { filePath: '/w/a.http', workspaceRoot: '/w' };
    assert.equal(restrictContext(ctx, p, true), ctx);
    const opts = { clientCertificates: { localhost: { cert: 'c' } } };
    assert.equal(restrictEngineOptions(opts, p), opts);
  });

  it('untrusted: no scripts, no process environment, no client certificates', () => {
    const p = trustPolicy(false);
    assert.equal(p.scripts, false);
    assert.deepEqual(restrictContext({ workspaceRoot: '/w' }, p, true).processEnv, {});
    assert.equal(restrictEngineOptions({ clientCertificates: { localhost: { cert: 'c' } }, timeoutMs: 5 }, p).clientCertificates, undefined);
    assert.equal(restrictEngineOptions({ timeoutMs: 5 }, p).timeoutMs, 5);
  });

  it('untrusted: env files inside the workspace are read, none for a file outside it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-trust-'));
    try {
      fs.writeFileSync(path.join(dir, '.env'), 'HOST=127.0.0.1\n');
      fs.writeFileSync(path.join(dir, 'http-client.env.json'), JSON.stringify({ dev: { port: '1' } }));
      const doc = parseHttp('GET http://{{$dotenv HOST}}:{{port}}/\n');
      const base = { filePath: path.join(dir, 'a.http'), workspaceRoot: dir, environment: 'dev' };
      const inside = await resolveRequest(doc, doc.requests[0], restrictContext(base, trustPolicy(false), true));
      assert.equal(inside.request?.url, 'http://127.0.0.1:1/');
      const outside = await resolveRequest(doc, doc.requests[0], restrictContext({ ...base, workspaceRoot: undefined }, trustPolicy(false), false));
      assert.equal(outside.request, null, 'no env file feeds a file outside the workspace');
      const proc = parseHttp('GET http://127.0.0.1:1/\nX-Home: {{$processEnv HOME}}\n');
      const blocked = await resolveRequest(
        proc,
        proc.requests[0],
        restrictContext({ ...base, processEnv: { HOME: '/home/x' } }, trustPolicy(false), true),
      );
      assert.equal(blocked.request, null, 'the process environment is not read');
      const trusted = await resolveRequest(
        proc,
        proc.requests[0],
        restrictContext({ ...base, processEnv: { HOME: '/home/x' } }, trustPolicy(true), true),
      );
      assert.deepEqual(trusted.request?.headers, [['X-Home', '/home/x']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the manifest declares limited support and keeps TLS and certificate settings out of a repository's hands", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[]; description: string } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    const u = pkg.capabilities.untrustedWorkspaces;
    assert.equal(u.supported, 'limited');
    for (const k of ['wirelens.insecure', 'wirelens.trustedCertificates', 'wirelens.clientCertificates']) {
      assert.ok(u.restrictedConfigurations.includes(k), k);
      assert.equal(pkg.contributes.configuration.properties[k].scope, 'machine', k);
    }
    for (const k of u.restrictedConfigurations) assert.ok(pkg.contributes.configuration.properties[k], `${k} is a contributed setting`);
    assert.match(u.description, /no scripts/);
  });
});
