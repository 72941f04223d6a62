// Which values count as secrets. Its own module so that environments and variables both use it without a cycle.

/** REST Client masks prompt input whose name looks like a secret. */
export function isSecretName(name: string): boolean {
  return /pass(word|wd)?|secret|token|api[-_]?key|credential/i.test(name);
}
