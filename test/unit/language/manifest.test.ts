// The extension manifest wires the language in: .http/.rest files, the grammar and language configuration,
// the send commands with their keybindings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';

interface Manifest {
  contributes: {
    languages: { id: string; extensions?: string[]; configuration?: string }[];
    grammars: { language?: string; scopeName: string; path: string }[];
    commands: { command: string }[];
    keybindings: { command: string; key: string; when?: string }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

describe('language: extension manifest', () => {
  it('declares the http language for .http and .rest with a valid language configuration', () => {
    const lang = manifest.contributes.languages.find((l) => l.id === 'http');
    assert.ok(lang);
    assert.deepEqual([...(lang.extensions ?? [])].sort(), ['.http', '.rest']);
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, lang.configuration ?? ''), 'utf8')) as {
      comments?: { lineComment?: string };
      brackets?: unknown[];
    };
    assert.equal(config.comments?.lineComment, '#');
    assert.ok((config.brackets ?? []).length > 0);
    const grammar = manifest.contributes.grammars.find((g) => g.language === 'http');
    assert.equal(grammar?.scopeName, 'source.http');
    assert.ok(fs.existsSync(path.join(ROOT, grammar.path)));
  });

  it('binds keys to Send Request, Cancel, Rerun Last, Send All and Switch Environment in .http editors', () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const id of [
      'wirelens.sendRequest',
      'wirelens.cancelRequest',
      'wirelens.rerunLastRequest',
      'wirelens.sendAllRequests',
      'wirelens.switchEnvironment',
    ]) {
      assert.ok(commands.has(id), `${id} is not a contributed command`);
      const kb = manifest.contributes.keybindings.find((k) => k.command === id);
      assert.ok(kb && kb.key, `${id} has no keybinding`);
      assert.match(kb.when ?? '', /editorLangId == http/, `${id} keybinding is not scoped to .http editors`);
    }
    const keys = manifest.contributes.keybindings.filter((k) => k.command.startsWith('wirelens.')).map((k) => k.key);
    assert.equal(new Set(keys).size, keys.length, 'two Wire Lens commands share a key');
  });
});
