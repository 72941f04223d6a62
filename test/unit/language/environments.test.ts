// Environments from settings and JetBrains env files, and .env files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentsFrom, loadDotenv, loadEnvironments, parseDotenv } from '../../../src/language';

describe('language: environments', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-env-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('layers: named environment over $shared, env files over settings, private over public', () => {
    const envs = environmentsFrom([
      { table: { $shared: { a: 'settings-shared', b: 'settings-shared' }, dev: { a: 'settings-dev' } }, origin: 'settings' },
      { table: { $shared: { a: 'file-shared', c: 'file-shared' }, dev: { c: 'file-dev' }, prod: {} }, origin: 'http-client.env.json' },
      { table: { dev: { c: 'private-dev' } }, origin: 'http-client.private.env.json', secret: true },
    ]);
    assert.deepEqual(envs.names, ['dev', 'prod']);
    const dev = envs.variables('dev');
    assert.equal(dev.get('a')?.value, 'settings-dev');
    assert.equal(dev.get('b')?.value, 'settings-shared');
    assert.deepEqual(dev.get('c'), { value: 'private-dev', source: 'http-client.private.env.json', secret: true });
    assert.equal(envs.variables(null).get('a')?.value, 'file-shared');
    assert.equal(envs.variables('prod').get('c')?.value, 'file-shared');
  });

  it('finds env files in the nearest directory up, not above the workspace root, and reports bad files', () => {
    const ws = path.join(dir, 'ws');
    const deep = path.join(ws, 'a', 'b');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(dir, 'http-client.env.json'), JSON.stringify({ outside: { x: '1' } }));
    assert.deepEqual(loadEnvironments({ dir: deep, stopAt: ws }).names, []);
    fs.writeFileSync(path.join(ws, 'a', 'http-client.env.json'), JSON.stringify({ local: { n: 1, flag: true, obj: { skip: 1 } } }));
    fs.writeFileSync(path.join(ws, 'a', 'http-client.private.env.json'), '{ not json');
    const envs = loadEnvironments({ dir: deep, stopAt: ws });
    assert.deepEqual(envs.names, ['local']);
    // Nested objects are read as dotted names (JetBrains).
    assert.deepEqual(
      [...envs.variables('local')].map(([k, v]) => [k, v.value]),
      [
        ['n', '1'],
        ['flag', 'true'],
        ['obj.skip', '1'],
      ],
    );
    assert.equal(envs.problems.length, 1);
    assert.match(envs.problems[0].message, /not valid JSON/);
    fs.writeFileSync(path.join(ws, 'a', 'http-client.private.env.json'), '["wrong shape"]');
    assert.match(loadEnvironments({ dir: deep, stopAt: ws }).problems[0].message, /must be an object/);
    assert.match(loadEnvironments({ settings: { dev: 'x' } as unknown as Record<string, Record<string, unknown>> }).problems[0].message, /must map/);
  });

  it('takes .env as $shared and .env.<name> / <name>.env as environments, below env files and settings, secret-looking names masked', () => {
    const ws = path.join(dir, 'dotenv-ws');
    fs.mkdirSync(path.join(ws, 'api'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.env'), 'TOKEN=from-dotenv\nHOST=shared.test\nONLY=dot\nAPI_KEY=k-123\n');
    fs.writeFileSync(path.join(ws, '.env.staging'), 'HOST=staging.test\n');
    fs.writeFileSync(path.join(ws, 'qa.env'), 'HOST=qa.test\n');
    fs.writeFileSync(path.join(ws, 'http-client.env.json'), JSON.stringify({ $shared: { TOKEN: 'from-json' }, dev: { HOST: 'dev.test' } }));
    const envs = loadEnvironments({ dir: path.join(ws, 'api'), stopAt: ws, settings: { $shared: { ONLY: 'settings' } } });
    assert.deepEqual(envs.names, ['dev', 'qa', 'staging']);
    const none = envs.variables(null);
    assert.equal(none.get('TOKEN')?.value, 'from-json');
    assert.equal(none.get('ONLY')?.value, 'settings');
    assert.deepEqual(none.get('HOST'), { value: 'shared.test', source: path.join(ws, '.env'), secret: false });
    assert.deepEqual(none.get('API_KEY'), { value: 'k-123', source: path.join(ws, '.env'), secret: true });
    assert.equal(envs.variables('staging').get('HOST')?.value, 'staging.test');
    assert.equal(envs.variables('qa').get('HOST')?.value, 'qa.test');
    assert.equal(envs.variables('dev').get('HOST')?.value, 'dev.test');
    assert.ok(envs.files.includes(path.join(ws, '.env.staging')));
  });

  it('parses .env files', () => {
    assert.deepEqual(parseDotenv('# c\nA=1\nexport B = two words # note\nC="q \\"x\\"\\nline"\nD=\'single #\'\nbad line\n'), {
      A: '1',
      B: 'two words',
      C: 'q "x"\nline',
      D: 'single #',
    });
    fs.writeFileSync(path.join(dir, '.env'), 'TOKEN=abc\n');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    assert.deepEqual(loadDotenv(path.join(dir, 'sub')), { TOKEN: 'abc' });
    assert.deepEqual(loadDotenv(undefined), {});
  });
});
