// Parsed request URLs by their text: a run sends the same URL again and again, and parsing one costs a few
// microseconds of the few dozen a reused request takes. The URLs handed out are shared: read them, never change
// them (a redirect or a proxy URL builds its own).

const cache = new Map<string, URL>();
const MAX = 256;

/** `new URL(text)`, from the cache when the same text was parsed before; throws as `new URL` does. */
export function parsedUrl(text: string): URL {
  const known = cache.get(text);
  if (known) return known;
  const url = new URL(text);
  if (cache.size >= MAX) cache.clear();
  cache.set(text, url);
  return url;
}
