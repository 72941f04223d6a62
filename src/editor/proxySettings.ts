// Which proxy settings the extension uses, and from where. A proxy sees every request it carries (and the target of
// every tunnel), so no repository may pick one: Wire Lens reads its own `wirelens.proxy`, `wirelens.noProxy` and
// `wirelens.proxyStrictSSL` (machine-scoped and restricted in package.json), then VS Code's `http.proxy`,
// `http.noProxy` and `http.proxyStrictSSL`, and only ever their user (machine) values: a workspace or folder value
// is ignored whatever scope VS Code gives the setting. Plain code over a small reader interface (no vscode import),
// so the rule is unit-tested with a fake configuration; settings.ts passes the real ones.
import type { ProxySettings } from '../wire';

/** The part of `vscode.WorkspaceConfiguration.inspect` read here. */
export interface SettingInspection<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** A configuration section (`vscode.workspace.getConfiguration('wirelens')` satisfies it). */
export interface ConfigInspector {
  inspect<T>(key: string): SettingInspection<T> | undefined;
}

/** The user-level value of a setting: never a workspace's or a folder's. */
function userValue<T>(c: ConfigInspector, key: string, valid: (v: unknown) => v is T): T | undefined {
  const v = c.inspect<unknown>(key)?.globalValue;
  return valid(v) ? v : undefined;
}

const isProxyUrl = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isList = (v: unknown): v is string[] => Array.isArray(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

/**
 * The proxy settings for the engine. `wirelens.*` wins over `http.*` setting by setting; with neither, the
 * environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) applies in the engine.
 */
export function readProxySettings(
  wirelens: ConfigInspector,
  http: ConfigInspector,
  env: Readonly<Record<string, string | undefined>>,
): ProxySettings {
  const own = userValue(wirelens, 'proxy', isProxyUrl);
  const vscodes = own === undefined ? userValue(http, 'proxy', isProxyUrl) : undefined;
  const noProxy = userValue(wirelens, 'noProxy', isList) ?? userValue(http, 'noProxy', isList);
  const strictSSL = userValue(wirelens, 'proxyStrictSSL', isBool) ?? userValue(http, 'proxyStrictSSL', isBool) ?? true;
  return {
    url: own ?? vscodes,
    noProxy: noProxy?.filter((e): e is string => typeof e === 'string'),
    strictSSL,
    env,
    source: own !== undefined ? 'wirelens.proxy' : 'http.proxy',
  };
}
