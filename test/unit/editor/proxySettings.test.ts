// The editor's proxy settings: Wire Lens's own before VS Code's, user values only. The fake configuration has
// the shape of `WorkspaceConfiguration.inspect` (values per level), so a workspace value is there to be ignored.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readProxySettings, type ConfigInspector, type SettingInspection } from '../../../src/editor/proxySettings';
import { proxyFor } from '../../../src/wire/proxy';

const ROOT = path.resolve(__dirname, '../../../..');

function config(values: Record<string, SettingInspection<unknown>>): ConfigInspector {
  return { inspect: <T>(key: string) => values[key] as SettingInspection<T> | undefined };
}

const none = config({});
const target = new URL('https://api.test/');

describe('editor/proxySettings: which proxy the editor uses', () => {
  it('a workspace or folder value of wirelens.proxy or http.proxy is ignored', () => {
    const wl = config({
      proxy: { defaultValue: '', workspaceValue: 'http://evil.test:3128', workspaceFolderValue: 'http://evil2.test:3128' },
      noProxy: { defaultValue: [], workspaceValue: ['*'] },
      proxyStrictSSL: { defaultValue: true, workspaceValue: false },
    });
    const http = config({
      proxy: { defaultValue: '', workspaceValue: 'http://evil3.test:3128' },
      noProxy: { defaultValue: [], workspaceFolderValue: ['*'] },
      proxyStrictSSL: { defaultValue: true, workspaceValue: false },
    });
    const s = readProxySettings(wl, http, {});
    assert.equal(s.url, undefined);
    assert.equal(s.noProxy, undefined);
    assert.equal(s.strictSSL, true);
    assert.equal(proxyFor(target, s), null, 'the request goes direct');
  });

  it('the workspace cannot turn off the user proxy through noProxy or strictSSL', () => {
    const wl = config({
      proxy: { globalValue: 'https://proxy.corp:8443', workspaceValue: 'http://evil.test:1' },
      noProxy: { workspaceValue: ['api.test'] },
      proxyStrictSSL: { workspaceValue: false },
    });
    const s = readProxySettings(wl, none, {});
    const route = proxyFor(target, s);
    assert.equal(route?.host, 'proxy.corp');
    assert.equal(route?.strictSSL, true);
    assert.equal(route?.source, 'wirelens.proxy');
  });

  it("wirelens.proxy wins over http.proxy, setting by setting; http.* applies while Wire Lens's is unset", () => {
    const http = config({
      proxy: { globalValue: 'http://vscode.proxy:3128' },
      noProxy: { globalValue: ['.internal'] },
      proxyStrictSSL: { globalValue: false },
    });
    const onlyVsCode = readProxySettings(none, http, {});
    assert.deepEqual(
      { url: onlyVsCode.url, noProxy: onlyVsCode.noProxy, strictSSL: onlyVsCode.strictSSL, source: onlyVsCode.source },
      { url: 'http://vscode.proxy:3128', noProxy: ['.internal'], strictSSL: false, source: 'http.proxy' },
    );
    const wl = config({ proxy: { globalValue: 'socks5h://127.0.0.1:1080' }, proxyStrictSSL: { globalValue: true } });
    const both = readProxySettings(wl, http, {});
    assert.equal(both.url, 'socks5h://127.0.0.1:1080');
    assert.equal(both.source, 'wirelens.proxy');
    assert.deepEqual(both.noProxy, ['.internal'], 'wirelens.noProxy unset: http.noProxy applies');
    assert.equal(both.strictSSL, true);
    assert.equal(proxyFor(new URL('http://db.internal/'), both), null);
  });

  it('with no proxy setting the environment applies (the user’s own, not the repository’s)', () => {
    const s = readProxySettings(none, none, { HTTPS_PROXY: 'http://127.0.0.1:3128' });
    assert.equal(proxyFor(target, s)?.source, 'HTTPS_PROXY');
    // An empty user value is no proxy setting.
    const blank = readProxySettings(config({ proxy: { globalValue: '  ' } }), none, { https_proxy: 'http://127.0.0.1:3129' });
    assert.equal(proxyFor(target, blank)?.port, 3129);
  });

  it('values of the wrong type are ignored', () => {
    const wl = config({ proxy: { globalValue: 42 }, noProxy: { globalValue: 'a.test' }, proxyStrictSSL: { globalValue: 'no' } });
    const s = readProxySettings(wl, none, {});
    assert.deepEqual({ url: s.url, noProxy: s.noProxy, strictSSL: s.strictSSL }, { url: undefined, noProxy: undefined, strictSSL: true });
  });

  it('the manifest declares the proxy settings machine-scoped and restricted', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    for (const k of ['wirelens.proxy', 'wirelens.noProxy', 'wirelens.proxyStrictSSL']) {
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(k), `${k} is restricted`);
      assert.equal(pkg.contributes.configuration.properties[k]?.scope, 'machine', `${k} is machine-scoped`);
    }
  });
});
