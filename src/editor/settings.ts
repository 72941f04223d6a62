// Reads the `wirelens.*` settings into engine options.
import * as vscode from 'vscode';
import type { SendOptions } from '../wire';

export function engineOptions(): SendOptions {
  const c = vscode.workspace.getConfiguration('wirelens');
  return {
    timeoutMs: c.get<number>('timeout', 30000),
    userAgent: c.get<string>('userAgent', 'wirelens/0.1'),
    followRedirects: c.get<boolean>('followRedirects', true),
    insecure: c.get<boolean>('insecure', false),
  };
}
