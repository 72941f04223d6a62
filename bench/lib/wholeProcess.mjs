// Whole-process measurements for the benchmarks that race separate programs (wirelens against node and curl):
// one child process, its wall time, its user and system CPU time and its peak RSS, read from GNU time
// (/usr/bin/time -v, which reports the child's own rusage); medians over interleaved rounds; the load average.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
export const haveGnuTime = existsSync(GNU_TIME);

/**
 * Runs `argv` to its end. `cpuS` (user + system), `userS`, `sysS` come from GNU time; without it they are null
 * and the peak RSS is polled from /proc (less exact).
 */
export function measure(argv, { cwd, timeoutMs = 180_000, env } = {}) {
  return new Promise((resolve) => {
    const cmd = haveGnuTime ? [GNU_TIME, '-v', ...argv] : argv;
    const t0 = performance.now();
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd, env });
    let err = '';
    let out = '';
    let hwm = 0;
    child.stdout.on('data', (d) => {
      if (out.length < 64 * 1024) out += d.toString();
    });
    child.stderr.on('data', (d) => {
      err += d.toString();
      if (err.length > 64 * 1024) err = err.slice(-32 * 1024);
    });
    const poll = haveGnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 5);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearTimeout(killer);
      if (poll) clearInterval(poll);
      const num = (re) => {
        const m = re.exec(err);
        return m ? Number(m[1]) : null;
      };
      const rssKb = num(/Maximum resident set size \(kbytes\): (\d+)/) ?? hwm;
      const userS = num(/User time \(seconds\): ([\d.]+)/);
      const sysS = num(/System time \(seconds\): ([\d.]+)/);
      // GNU time reports the child's status itself; the child's own exit code is in its text.
      const status = haveGnuTime ? (num(/Exit status: (\d+)/) ?? code) : code;
      resolve({
        ok: status === 0,
        wallMs,
        userS,
        sysS,
        cpuS: userS !== null && sysS !== null ? userS + sysS : null,
        rssMiB: rssKb / 1024,
        stdout: out,
        stderr: haveGnuTime ? err.replace(/\n?\s*Command (being timed|exited)[\s\S]*$/, '') : err,
      });
    });
  });
}

export function median(values) {
  const v = values.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** The 1-, 5- and 15-minute load averages, rounded, and the core count they are to be read against. */
export function load() {
  const [one, five, fifteen] = loadavg().map((x) => Math.round(x * 100) / 100);
  return { one, five, fifteen };
}

export const loadText = (l) => `${l.one.toFixed(2)} ${l.five.toFixed(2)} ${l.fifteen.toFixed(2)}`;

/** The round's order: rotated each round so that no contender always runs first (or right after the same one). */
export function rotated(list, round) {
  const k = round % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
