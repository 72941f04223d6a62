// Small DOM helpers. Everything from the response goes in through textContent (or text nodes): never as markup.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A codicon, hidden from screen readers (the control around it carries the label). */
export function icon(name: string, extra = ''): HTMLSpanElement {
  const s = el('span', `codicon codicon-${name}${extra ? ` ${extra}` : ''}`);
  s.setAttribute('aria-hidden', 'true');
  return s;
}

export function button(
  label: string,
  iconName: string | null,
  onClick: (ev: MouseEvent) => void,
  opts: { title?: string; cls?: string; iconOnly?: boolean } = {},
): HTMLButtonElement {
  const b = el('button', opts.cls ?? 'action');
  b.type = 'button';
  if (iconName) b.append(icon(iconName));
  if (opts.iconOnly) b.setAttribute('aria-label', label);
  else b.append(el('span', 'label', label));
  b.title = opts.title ?? label;
  b.addEventListener('click', onClick);
  return b;
}

/** A two-column list of facts (term / value). */
export function facts(rows: [string, string | Node][], cls = 'facts'): HTMLDListElement {
  const dl = el('dl', cls);
  for (const [k, v] of rows) {
    const dt = el('dt', undefined, k);
    const dd = el('dd');
    dd.append(typeof v === 'string' ? document.createTextNode(v) : v);
    dl.append(dt, dd);
  }
  return dl;
}

export interface SectionOptions {
  id: string;
  title: string;
  iconName: string;
  expanded: boolean;
  count?: number;
  /** Shown after the title, e.g. "12 ms" or "3 hops". */
  hint?: string;
  actions?: HTMLElement[];
  onToggle?: (expanded: boolean) => void;
}

/** A collapsible section: a real <button aria-expanded> controls a labelled region. */
export function section(opts: SectionOptions): { root: HTMLElement; body: HTMLElement } {
  const root = el('section', 'section');
  root.dataset.section = opts.id;
  root.id = `section-${opts.id}`;
  if (opts.count !== undefined) root.dataset.count = String(opts.count);
  const head = el('div', 'section-head');
  const toggle = el('button', 'section-toggle');
  toggle.type = 'button';
  const bodyId = `section-${opts.id}-body`;
  toggle.setAttribute('aria-controls', bodyId);
  toggle.setAttribute('aria-expanded', String(opts.expanded));
  const chevron = icon(opts.expanded ? 'chevron-down' : 'chevron-right', 'chevron');
  const title = el('span', 'section-title', opts.title);
  toggle.append(chevron, icon(opts.iconName), title);
  if (opts.count !== undefined) toggle.append(el('span', 'badge count', String(opts.count)));
  if (opts.hint) toggle.append(el('span', 'section-hint', opts.hint));
  head.append(toggle);
  if (opts.actions?.length) {
    const bar = el('div', 'section-actions');
    bar.append(...opts.actions);
    head.append(bar);
  }
  const body = el('div', 'section-body');
  body.id = bodyId;
  body.setAttribute('role', 'region');
  body.setAttribute('aria-label', opts.title);
  body.hidden = !opts.expanded;
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    chevron.className = `codicon codicon-${open ? 'chevron-down' : 'chevron-right'} chevron`;
    body.hidden = !open;
    opts.onToggle?.(open);
  });
  root.append(head, body);
  return { root, body };
}

/** A disclosure row: a button that shows or hides the detail element after it. */
export function disclosure(summary: HTMLElement, detail: HTMLElement, label: string, expanded = false): HTMLElement {
  const wrap = el('div', 'disclosure');
  const b = el('button', 'disclosure-toggle');
  b.type = 'button';
  b.setAttribute('aria-expanded', String(expanded));
  b.setAttribute('aria-label', label);
  const chevron = icon(expanded ? 'chevron-down' : 'chevron-right', 'chevron');
  b.append(chevron, summary);
  detail.hidden = !expanded;
  detail.classList.add('disclosure-detail');
  b.addEventListener('click', () => {
    const open = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', String(open));
    chevron.className = `codicon codicon-${open ? 'chevron-down' : 'chevron-right'} chevron`;
    detail.hidden = !open;
  });
  wrap.append(b, detail);
  return wrap;
}
