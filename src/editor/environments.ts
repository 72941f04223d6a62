// The selected environment (status bar + `wirelens.switchEnvironment`, remembered per workspace), and the
// ResolveContext every feature uses for a document: env files next to it, the settings, named responses, prompts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadEnvironments, type EnvironmentTable, type Environments, type ResolveContext } from '../language';
import { RunState } from '../run/state';
import { restrictContext, trustPolicy } from './trust';

const STATE_KEY = 'wirelens.environment';
const NONE = '$shared';

/**
 * The window's run state (named responses by the run model's name rule, script globals, cookies): every Send,
 * Send All and Test Explorer run shares it, and hover reads it.
 */
export const windowState = new RunState();

let picker: EnvironmentPicker | undefined;

/**
 * A `wirelens.*` setting the user set (any scope), else REST Client's `rest-client.*` one, else undefined.
 * `userOnly` for a machine-scoped setting (client certificates): VS Code ignores a workspace's value of ours, so
 * a workspace's value of theirs is ignored too (a cloned repository must not pick the certificate a host gets).
 */
export function withRestClientFallback<T>(key: string, theirKey = key, userOnly = false): T | undefined {
  const own = vscode.workspace.getConfiguration('wirelens').inspect<T>(key);
  const set = userOnly ? own?.globalValue : (own?.workspaceFolderValue ?? own?.workspaceValue ?? own?.globalValue);
  if (set !== undefined) return set;
  // People switch from REST Client without rewriting their settings: its values apply until ours are set.
  const theirs = vscode.workspace.getConfiguration('rest-client').inspect<T>(theirKey);
  const fallback = userOnly ? theirs?.globalValue : (theirs?.workspaceFolderValue ?? theirs?.workspaceValue ?? theirs?.globalValue);
  return fallback ?? own?.defaultValue;
}

function settingsEnvironments(): EnvironmentTable | undefined {
  return withRestClientFallback<EnvironmentTable>('environmentVariables');
}

function locate(document: vscode.TextDocument): { dir?: string; root?: string } {
  if (document.uri.scheme !== 'file') return {};
  return { dir: path.dirname(document.uri.fsPath), root: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath };
}

export function environmentsFor(document: vscode.TextDocument | undefined): Environments {
  const where = document ? locate(document) : {};
  // Restricted Mode: env files only from inside a workspace folder.
  const allowed = vscode.workspace.isTrusted || where.root !== undefined;
  return loadEnvironments({ dir: allowed ? where.dir : undefined, stopAt: where.root, settings: settingsEnvironments() });
}

export function currentEnvironment(): string | null {
  return picker?.current() ?? null;
}

export function resolveContextFor(document: vscode.TextDocument): ResolveContext {
  const where = locate(document);
  return restrictContext(fullContextFor(document, where), trustPolicy(vscode.workspace.isTrusted), where.root !== undefined);
}

function fullContextFor(document: vscode.TextDocument, where: { dir?: string; root?: string }): ResolveContext {
  return {
    filePath: document.uri.scheme === 'file' ? document.uri.fsPath : undefined,
    workspaceRoot: where.root,
    environment: currentEnvironment(),
    environments: environmentsFor(document),
    responses: windowState.responses,
    globals: windowState.globals,
    defaultHeaders: withRestClientFallback<Record<string, string>>('defaultHeaders'),
    confirm: async ({ block, note }) => {
      const send = 'Send';
      const answer = await vscode.window.showWarningMessage(
        `Send ${block.method} ${block.target}?`,
        { modal: true, detail: note || 'This request is marked # @note: confirm before sending it.' },
        send,
      );
      return answer === send;
    },
    prompt: async (p) =>
      vscode.window.showInputBox({
        title: `Wire Lens: ${p.name}`,
        prompt: p.description ?? `Value for {{${p.name}}}`,
        password: p.secret,
        ignoreFocusOut: true,
      }),
  };
}

/** Makes the picker the one resolveContextFor() reads. */
export function usePicker(p: EnvironmentPicker | undefined): void {
  picker = p;
}

export class EnvironmentPicker implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<string | null>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.item = vscode.window.createStatusBarItem('wirelens.environment', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Wire Lens environment';
    this.item.command = 'wirelens.switchEnvironment';
    this.subscriptions.push(
      vscode.commands.registerCommand('wirelens.switchEnvironment', (name?: unknown) => this.switch(name)),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('wirelens.environment') ||
          e.affectsConfiguration('wirelens.environmentVariables') ||
          e.affectsConfiguration('rest-client.environmentVariables')
        ) {
          this.render();
          this.changed.fire(this.current());
        }
      }),
    );
    this.render();
  }

  /** The picked environment; before any pick, the `wirelens.environment` setting; null = `$shared` only. */
  current(): string | null {
    const picked = this.context.workspaceState.get<string>(STATE_KEY);
    const value = picked ?? vscode.workspace.getConfiguration('wirelens').get<string>('environment', '');
    return value && value !== NONE ? value : null;
  }

  /** With a name (tests, keybindings with args): select it; without: ask with a quick pick. Returns the selection. */
  async switch(name?: unknown): Promise<string | null | undefined> {
    let chosen: string | null;
    if (typeof name === 'string') chosen = name === '' || name === NONE ? null : name;
    else if (name === null) chosen = null;
    else {
      const envs = environmentsFor(vscode.window.activeTextEditor?.document);
      const current = this.current();
      const items: (vscode.QuickPickItem & { value: string | null })[] = [
        { label: 'No Environment', description: '$shared variables only', value: null, picked: current === null },
        ...envs.names.map((n) => ({ label: n, description: n === current ? 'current' : undefined, value: n })),
      ];
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Wire Lens: Switch Environment',
        placeHolder: envs.names.length
          ? 'Environment for {{variables}}'
          : 'No environments found (http-client.env.json or wirelens.environmentVariables)',
      });
      if (!pick) return undefined;
      chosen = pick.value;
    }
    await this.context.workspaceState.update(STATE_KEY, chosen ?? NONE);
    this.render();
    this.changed.fire(chosen);
    return chosen;
  }

  private render(): void {
    const lang = vscode.window.activeTextEditor?.document.languageId;
    const env = this.current();
    this.item.text = `$(server-environment) ${env ?? 'No Environment'}`;
    this.item.tooltip = 'Wire Lens: environment for {{variables}} (click to switch)';
    if (lang === 'http' || lang === 'markdown') this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
