// The state a run keeps between requests: named responses, script globals, the cookie jar, the sandbox.
// The CLI makes one per `wirelens test` / `send` run; the editor keeps one for the window.
import type { RequestBlock } from '../language/types';
import type { Exchange, ExchangeTest } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import { CookieJar } from '../wire/cookieJar';
import type { LangDiagnostic } from '../language/types';
import { Sandbox, type SandboxLimits } from './sandbox/sandbox';

/**
 * The one name rule (editor and CLI): a request is named by its `# @name`; without one, by its `###` title
 * when that title is a single word (letters, digits, `_`, `-`), as the JetBrains client does. A longer title
 * (`### Create a user`) names nothing: it is only shown.
 */
export function requestName(block: RequestBlock): string | null {
  if (block.name) return block.name;
  if (block.title && /^[\w-]+$/.test(block.title)) return block.title;
  return null;
}

export interface RequestResult {
  block: RequestBlock;
  /** The request's name by the rule above. */
  name: string | null;
  /** `@loop`: 0-based iteration (null when the request does not loop). */
  iteration: number | null;
  request: ResolvedRequest | null;
  exchange: Exchange | null;
  /** Resolution errors: the request was refused before the socket opened. */
  errors: LangDiagnostic[];
  /** Why the request was not sent (`@disabled`, --grep, --bail, client.exit()), or null. */
  skipped: string | null;
  tests: ExchangeTest[];
  logs: string[];
  /** Globals the scripts of this request set, with their values. */
  globalsSet: Record<string, string>;
  /** Why scripts were not run (Restricted Mode, --no-scripts), when the request has some. */
  scriptsNotRun: string | null;
  durationMs: number;
  /** The request's file when it is not the run's document (a `# @ref` to an imported file). */
  file?: string;
  /** `>> file` could not be written (the exchange is kept). */
  responseFileError?: { line: number; message: string };
}

export class RunState {
  readonly responses = new Map<string, Exchange>();
  readonly globals = new Map<string, string>();
  cookieJar: CookieJar | undefined;
  private readonly sandboxes = new Map<string, Promise<Sandbox>>();
  /** Per-script sandbox start times (ms) measured in this state, for benchmarks. */
  readonly scriptStarts: number[] = [];

  constructor(opts: { cookies?: boolean } = {}) {
    this.cookieJar = opts.cookies === false ? undefined : new CookieJar();
  }

  /** One sandbox (QuickJS context) per file: scripts of one file share it, files never do. */
  sandboxFor(file: string, limits: SandboxLimits): Promise<Sandbox> {
    const key = `${file}\u0000${limits.timeoutMs ?? ''}`;
    let s = this.sandboxes.get(key);
    if (!s) {
      s = Sandbox.create(limits);
      this.sandboxes.set(key, s);
      s.catch(() => this.sandboxes.delete(key));
    }
    return s;
  }

  /** Frees the sandboxes (their WebAssembly memory). */
  async dispose(): Promise<void> {
    const all = [...this.sandboxes.values()];
    this.sandboxes.clear();
    for (const p of all) {
      try {
        (await p).dispose();
      } catch {
        // never created
      }
    }
  }
}
