// Tuning for short-lived processes (the CLI), never for the extension host.
//
// V8 first runs WebAssembly with its baseline compiler (Liftoff) and then recompiles hot functions with the
// optimising one (TurboFan) in background threads. For QuickJS (a 500 KB module) that tier-up costs far more
// CPU than a run of a few hundred scripts gets back: measured on 500 scripts, about 0.6 s of CPU by default
// against 0.2-0.3 s with Liftoff alone, and the background compiles compete with the run on a busy machine.
// A long-lived editor window amortises the tier-up, so only the CLI opts out, before the module is compiled.
import * as v8 from 'node:v8';

let applied = false;

/** Keeps WebAssembly on the baseline compiler for this process. Call before the first sandbox is created. */
export function preferBaselineWasm(): void {
  if (applied) return;
  applied = true;
  // A flag V8 does not know would be reported on stderr; `--liftoff-only` is in every V8 of Node 20 and later.
  v8.setFlagsFromString('--liftoff-only');
}
