// Option parsing for `wirelens send`: a small table instead of a dependency, with errors a person can act on.

export interface SendArgs {
  file: string;
  line: number | null;
  name: string | null;
  all: boolean;
  env: string | null;
  json: boolean;
  timeoutMs: number | null;
  /** --verbose: say which env files were read. */
  verbose: boolean;
  /** --show-secrets: print secrets in clear (masked by default). */
  showSecrets: boolean;
  /** --max-time MS: whole-exchange deadline. */
  maxTimeMs: number | null;
  maxBodyBytes: number | null;
  insecure: boolean;
  noFollow: boolean;
  /** No cookie jar: cookies set by one response are not sent with later requests of the run. */
  noCookies: boolean;
  /** No keep-alive: every request of the run on its own connection. */
  noKeepAlive: boolean;
  /** `--proxy URL`: the proxy for every request (wins over HTTP_PROXY and friends). */
  proxy: string | null;
  /** `--noproxy LIST`: hosts reached directly (curl's syntax; replaces NO_PROXY). */
  noProxy: string | null;
  /** `--save FILE`: the exchange in the Save Exchange (.http) format. */
  save: string | null;
  /** Do not run pre-request scripts and response handlers. */
  noScripts: boolean;
  bodyOut: string | null;
  color: boolean | null;
  help: boolean;
  /** --http2 / --http2-prior-knowledge / --http1.1: the protocol of requests that write no version. */
  http2: 'never' | 'negotiate' | 'prior-knowledge' | null;
  /** --frames: HTTP/2 frames printed as nghttp -v does (long runs of one kind summed up); --frames=all: each. */
  frames: boolean | 'all';
}

import { UsageError, walkArgv, wholeNumber, type Flag } from './argv';

export { UsageError };

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `4MB`, `512k`, `1.5GiB`, `1000`: binary units (a limit, not an invoice). */
export function parseSize(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(s);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`invalid size '${s}' (examples: 65536, 512KB, 4MB, 1GB)`);
  const n = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`invalid size '${s}'`);
  return n;
}

const positiveInt = (flag: string, v: string, allowZero = false): number => wholeNumber(flag, v, { allowZero });

export function parseSendArgs(argv: string[]): SendArgs {
  const a: SendArgs = {
    file: '',
    line: null,
    name: null,
    all: false,
    env: null,
    json: false,
    timeoutMs: null,
    maxTimeMs: null,
    maxBodyBytes: null,
    insecure: false,
    showSecrets: false,
    verbose: false,
    noFollow: false,
    noCookies: false,
    noScripts: false,
    noKeepAlive: false,
    proxy: null,
    noProxy: null,
    save: null,
    bodyOut: null,
    color: null,
    help: false,
    http2: null,
    frames: false,
  };
  const files: string[] = [];
  const onFlag = ({ name: flag, value, inline }: Flag): boolean => {
    switch (flag) {
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '--line':
        a.line = positiveInt(flag, value());
        break;
      case '--name':
        a.name = value();
        break;
      case '--all':
        a.all = true;
        break;
      case '--env':
        a.env = value();
        break;
      case '--json':
        a.json = true;
        break;
      case '--timeout':
        a.timeoutMs = positiveInt(flag, value(), true);
        break;
      case '--max-time':
        a.maxTimeMs = positiveInt(flag, value(), true);
        break;
      case '--max-body':
        a.maxBodyBytes = parseSize(value());
        break;
      case '-k':
      case '--insecure':
        a.insecure = true;
        break;
      case '--show-secrets':
        a.showSecrets = true;
        break;
      case '-v':
      case '--verbose':
        a.verbose = true;
        break;
      case '--no-follow':
        a.noFollow = true;
        break;
      case '--no-cookies':
        a.noCookies = true;
        break;
      case '--no-keepalive':
      case '--no-keep-alive':
        a.noKeepAlive = true;
        break;
      case '-x':
      case '--proxy':
        a.proxy = value();
        break;
      case '--noproxy':
        a.noProxy = value();
        break;
      case '--save':
        a.save = value();
        break;
      case '--no-scripts':
        a.noScripts = true;
        break;
      case '--body-out':
      case '-o':
        a.bodyOut = value();
        break;
      case '--color':
        a.color = true;
        break;
      case '--no-color':
        a.color = false;
        break;
      case '--http2':
        a.http2 = 'negotiate';
        break;
      case '--http2-prior-knowledge':
        a.http2 = 'prior-knowledge';
        break;
      case '--http1.1':
        a.http2 = 'never';
        break;
      case '--frames':
        // The value is optional and only ever inline: `--frames` sums long runs up, `--frames=all` prints each.
        if (inline !== null && inline !== 'all') throw new UsageError(`--frames takes no value or =all, got '${inline}'`);
        a.frames = inline === 'all' ? 'all' : true;
        break;
      default:
        return false;
    }
    return true;
  };
  walkArgv(argv, onFlag, (operand) => files.push(operand));
  if (a.help) return a;
  if (files.length === 0) throw new UsageError('missing FILE');
  if (files.length > 1) throw new UsageError(`one FILE only (got ${files.join(', ')})`);
  a.file = files[0];
  const selectors = [a.line !== null, a.name !== null, a.all].filter(Boolean).length;
  if (selectors > 1) throw new UsageError('use only one of --line, --name and --all');
  return a;
}

export const SEND_USAGE = `Usage: wirelens send FILE [options]

Sends requests from an .http / .rest file and shows the exchange as it crossed the wire.

Which request (default: the first one):
  --line N           the request whose block contains line N (1-based)
  --name NAME        the request named with '# @name NAME'
  --all              every request in file order, a named request that another reads ({{name.response...}})
                     sent before it; with --line / --name, a named request the chosen one reads is sent
                     first when it has not been

Options:
  --env NAME         environment from http-client.env.json (and its .private twin) or .env.NAME files
  --json             print the Exchange record as JSON (an array with --all)
  --timeout MS       timeout for connecting, for each wait on the server and for a whole response head
                     (0 = none; default 30000; # @timeout on a request wins)
  --max-time MS      deadline for the whole exchange, redirects, body, chunks and trailers included
                     (0 = none, the default; # @max-time on a request wins); the partial response is kept
  --max-body SIZE    largest body kept in memory, e.g. 512KB, 4MB, 1GB (default 64MB; a record holds
                     at most about 383MB, use --body-out beyond that)
  -k, --insecure     do not verify TLS certificates
  --show-secrets     print secrets in clear; by default values from private env files, secret-looking
                     variables (TOKEN, AUTH, DB_PWD…), URL user info and what is derived from them are
                     masked as •••••• in the text and in --json, raw bytes included
  --no-follow        do not follow redirects
  --no-cookies       no cookie jar: cookies a response sets are not sent with later requests (and
                     redirects) of the run; # @no-cookie-jar does the same for one request
  --no-keepalive     a new connection for every request (by default requests of the run to the same
                     origin share one when the responses allow it; # @new-connection for one request)
  -x, --proxy URL    send through this proxy: http://, https://, socks5://, socks5h://, with
                     user:password@ for proxy authentication (default: HTTPS_PROXY, HTTP_PROXY,
                     ALL_PROXY from the environment; # @proxy URL / # @no-proxy per request)
  --noproxy LIST     hosts reached directly, comma-separated: names match subdomains, IPs and
                     CIDR ranges, host:port, '*' for all (replaces NO_PROXY)
  --save FILE        also write the exchange as an .http file in the Save Exchange format (with
                     --all every exchange, one after another), secrets masked: diff two runs
  --no-scripts       do not run pre-request scripts and response handlers ({% %}, {{ }}, ?? js)
  -o, --body-out FILE  write the decoded body to FILE instead of printing it (streamed, no size limit;
                     with --all the bodies follow one another)
  --http2            HTTP/2 for requests that write no version: offered by ALPN on https (the server
                     may still pick HTTP/1.1); plain http stays HTTP/1.1 (no Upgrade). HTTP/2 or
                     HTTP/1.1 on the request line always wins
  --http2-prior-knowledge  HTTP/2 directly for requests that write no version (h2c on http)
  --http1.1          HTTP/1.1 for requests that write no version (the default)
  --frames           print every HTTP/2 frame, as nghttp -v does, with each header's HPACK coding
                     (a long run of frames of one kind, a download's DATA, as its first, a count and its last)
  --frames=all       the same, every frame of every run printed
  --color, --no-color  force colours on or off (default: on for a terminal, off with NO_COLOR)
  -v, --verbose      say where env files were looked for and which were read (on stderr)
  -h, --help         this help

Exit status: 0 when every exchange completed (whatever the HTTP status), 1 when one failed
(connection, TLS, timeout, malformed response…), 2 for usage or file errors.
`;
