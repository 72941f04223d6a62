// The response panel in the real workbench (packaged VSIX in code-server): Send Request, Rerun, Cancel,
// Open in Editor, and screenshots of the panel in the dark, light and high-contrast themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { codeLenses, openFile, openWorkbench, panelFrame, runCommand, screenshot, setTheme, ui, writeWorkspaceFile } from './support';

const THEMES: [string, string][] = [
  ['dark', 'Default Dark Modern'],
  ['light', 'Default Light Modern'],
  ['high-contrast', 'Default High Contrast'],
];

/** Copies a screenshot next to the README's assets (media/screenshots is committed) when asked to:
 * `WIRELENS_UPDATE_SCREENSHOTS=1 npm run test:ui`. Ordinary runs leave the tree clean. */
function keep(file: string): void {
  if (process.env.WIRELENS_UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.join(ui().root, 'media', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, path.basename(file)));
}

async function statusLine(frame: Frame): Promise<string> {
  await frame.locator('#status-line').waitFor({ timeout: 30_000 });
  return (await frame.locator('#status-line').textContent()) ?? '';
}

describe('response panel in the workbench', () => {
  let frame: Frame;

  it('Send Request opens the panel beside the editor with the whole exchange', async () => {
    const page = await openWorkbench();
    const d = ui().demoUrl;
    writeWorkspaceFile(
      'ui/panel.http',
      [
        '# Response panel UI test',
        `GET ${d}/json`,
        'Accept: application/json',
        '',
        '###',
        '',
        `GET ${d}/delay/20000`,
        '',
        '###',
        '',
        `GET ${d}/delay/400`,
        '',
        '###',
        '',
        `GET ${ui().demoTlsUrl ?? d}/json`,
        '',
        '###',
        '',
        `GET ${d}/redirect/2`,
        '',
        '###',
        '',
        `GET ${d}/gzip`,
        '',
        '###',
        '',
        `GET ${d}/drip?bytes=400&delay=50`,
        '',
      ].join('\n'),
    );
    await openFile('ui/panel.http');
    const lenses = codeLenses(page);
    await lenses.first().waitFor({ timeout: 60_000 });
    await lenses.nth(0).click();
    frame = await panelFrame('#status-line');
    assert.match(await statusLine(frame), /HTTP\/1\.1 200 OK/);
    assert.match((await frame.locator('#response-headers').textContent()) ?? '', /Content-Type/);
    assert.equal(await frame.locator('.section-toggle').first().getAttribute('aria-expanded'), 'true');
    // The worst level of a header's notes shows on its line (Content-Type: application/json carries a charset note).
    const ctRow = frame.locator('#response-headers .header-row', { hasText: 'Content-Type' });
    assert.match((await ctRow.locator('.header-level [role="img"]').getAttribute('aria-label')) ?? '', /worst: (info|warning|bad)/);
    // Screen readers: every control has a name, every section toggle controls a labelled region; icons are codicons.
    // (A string, run in the webview: the tests compile without the DOM library.)
    interface A11y {
      unnamed: string[];
      badToggles: number;
      icons: number;
      visibleIcons: number;
      codiconFont: boolean;
    }
    const audit = (): Promise<A11y> =>
      frame.evaluate<A11y>(`(async () => {
      const unnamed = [...document.querySelectorAll('button, input')].filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim())).map((e) => e.outerHTML.slice(0, 80));
      const badToggles = [...document.querySelectorAll('.section-toggle')].filter((t) => {
        const region = document.getElementById(t.getAttribute('aria-controls') || '');
        return !region || !region.getAttribute('aria-label') || t.getAttribute('aria-expanded') === null;
      }).length;
      const all = [...document.querySelectorAll('.codicon')];
      await document.fonts.ready;
      return { unnamed, badToggles, icons: all.length, visibleIcons: all.filter((i) => i.getAttribute('aria-hidden') !== 'true').length, codiconFont: [...document.fonts].some((f) => f.family.replace(/["']/g, '') === 'codicon' && f.status === 'loaded') };
    })()`);
    // Sections fill in as the panel renders them: audit again until they are there (bounded), then judge.
    let a11y = await audit();
    for (let i = 0; i < 20 && a11y.icons <= 10; i++) {
      await page.waitForTimeout(250);
      a11y = await audit();
    }
    assert.deepEqual(a11y.unnamed, [], 'controls without an accessible name');
    assert.equal(a11y.badToggles, 0, 'section toggles with a labelled region');
    assert.ok(
      a11y.icons > 10 && a11y.visibleIcons === 0,
      `codicons, hidden from screen readers (${a11y.icons} icons, ${a11y.visibleIcons} not hidden)`,
    );
    assert.ok(a11y.codiconFont, 'the codicon font loaded from the extension');
    // The editor kept the focus (preserveFocus).
    assert.ok((await page.locator('.editor-instance .monaco-editor.focused').count()) > 0, 'the .http editor keeps the focus');
  });

  it('takes screenshots in dark, light and high-contrast themes', async () => {
    const page = await openWorkbench();
    // Open one header's explanation so the screenshots show it.
    await frame.locator('#response-headers .disclosure-toggle').first().click();
    for (const [name, theme] of THEMES) {
      await setTheme(theme);
      await frame.locator('#app').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(800);
      keep(await screenshot(`panel-${name}`));
      // Legible in every theme: the status badge and the status line reach WCAG AA contrast (4.5:1).
      const contrast = await frame.evaluate<{ badge: number; line: number }>(`(() => {
        const rgb = (s) => (s.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
        const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
        const ratio = (a, b) => { const x = lum(rgb(a)); const y = lum(rgb(b)); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
        const page = getComputedStyle(document.body).backgroundColor;
        const badge = getComputedStyle(document.getElementById('summary-status'));
        const badgeBg = badge.backgroundColor === 'rgba(0, 0, 0, 0)' ? page : badge.backgroundColor;
        return { badge: ratio(badge.color, badgeBg), line: ratio(getComputedStyle(document.getElementById('status-line')).color, page) };
      })()`);
      assert.ok(contrast.badge >= 4.5, `${name}: status badge contrast ${contrast.badge.toFixed(2)}:1`);
      assert.ok(contrast.line >= 4.5, `${name}: status line contrast ${contrast.line.toFixed(2)}:1`);
      if (name === 'dark' || name === 'light') {
        // The body, the timing waterfall and the connection, keyboard focus on the body's toggle.
        await frame.locator('#section-connection').evaluate((e) => e.scrollIntoView({ block: 'end' }));
        await frame.locator('#section-body .section-toggle').focus({ preventScroll: true } as never);
        await page.waitForTimeout(300);
        keep(await screenshot(`panel-body-timing-${name}`));
      }
    }
    await setTheme('Default Dark Modern');
  });

  it('searches within the body and toggles CR/LF in the raw exchange from the keyboard', async () => {
    const search = frame.getByRole('searchbox', { name: 'Search in body' });
    await search.fill('e');
    await frame.locator('.search-count', { hasText: /^1 of \d+$/ }).waitFor();
    const total = Number(((await frame.locator('.search-count').textContent()) ?? '').split(' of ')[1]);
    assert.ok(total > 1);
    await search.press('Enter');
    assert.equal(await frame.locator('.search-count').textContent(), `2 of ${total}`);
    assert.equal(await frame.locator('#section-body mark.current').count(), 1);
    await search.fill('');
    // Keyboard only: focus the raw exchange toggle, open it with Enter, then press the CR/LF button.
    const rawToggle = frame.locator('#section-raw .section-toggle');
    await rawToggle.focus();
    await rawToggle.press('Enter');
    assert.equal(await rawToggle.getAttribute('aria-expanded'), 'true');
    const crlf = frame.getByRole('button', { name: 'Show CR/LF' });
    await crlf.focus();
    await crlf.press('Space');
    assert.equal(await crlf.getAttribute('aria-pressed'), 'true');
    assert.match((await frame.locator('.raw-request').textContent()) ?? '', /HTTP\/1\.1␍␊/);
    await crlf.press('Space');
  });

  it('Cancel stops a slow request and the panel explains it', async () => {
    const page = await openWorkbench();
    await codeLenses(page).nth(1).click();
    frame = await panelFrame('#cancel');
    await frame.locator('#phase').waitFor();
    await page.waitForTimeout(1200);
    const elapsed = (await frame.locator('#elapsed').textContent()) ?? '';
    assert.match(elapsed, /^\d+\.\d s$/);
    assert.notEqual(elapsed, '0.0 s', 'the elapsed time runs');
    // The status bar says the same as the panel: the phase and a running elapsed time.
    await page
      .locator('.statusbar-item', { hasText: /waiting for first byte · \d+\.\d s/ })
      .first()
      .waitFor({ timeout: 10_000 });
    keep(await screenshot('panel-waiting'));
    await frame.locator('#cancel').click();
    frame = await panelFrame('#error-title');
    assert.match((await frame.locator('#error-title').textContent()) ?? '', /cancelled/);
    keep(await screenshot('panel-cancelled'));
  });

  it('Rerun sends the request again', async () => {
    const page = await openWorkbench();
    await codeLenses(page).nth(2).click();
    frame = await panelFrame('#status-line');
    assert.match(await statusLine(frame), /200/);
    await frame.getByRole('button', { name: 'Rerun' }).click();
    // A 400 ms request: the waiting view shows, then the new exchange.
    await (await panelFrame('#cancel')).locator('#cancel').waitFor();
    frame = await panelFrame('#status-line');
    assert.match(await statusLine(frame), /200/);
  });

  it('Open in Editor shows the body in a read-only JSON editor', async () => {
    const page = await openWorkbench();
    await codeLenses(page).nth(0).click();
    frame = await panelFrame('#status-line');
    await frame.getByRole('button', { name: 'Open in Editor' }).first().click();
    const tab = page.locator('.tab[aria-label^="response.json"]');
    await tab.first().waitFor({ timeout: 30_000 });
    const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    const text = (await lines.textContent()) ?? '';
    assert.match(text, /\{/);
    // Read-only: typing changes nothing.
    await lines.click();
    await page.keyboard.type('zzz');
    await page.waitForTimeout(300);
    assert.equal(await lines.textContent(), text, 'the body document is read-only');
    await screenshot('panel-open-in-editor');
    await runCommand('View: Close Editor');
    await tab.first().waitFor({ state: 'detached' });
  });

  it('explains a TLS verification failure and shows a redirect chain', async () => {
    const page = await openWorkbench();
    await openFile('ui/panel.http');
    await codeLenses(page).nth(3).click();
    frame = await panelFrame('#error-title');
    assert.match((await frame.locator('#error-title').textContent()) ?? '', /self-signed|trust/i);
    keep(await screenshot('panel-tls-error'));
    await codeLenses(page).nth(4).click();
    frame = await panelFrame('#section-redirects');
    await frame.locator('#section-redirects .disclosure-toggle').first().click();
    await frame.locator('#section-redirects').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    keep(await screenshot('panel-redirects'));
  });

  it('comes back after a reload (panel serializer + saved state)', async () => {
    const page = await openWorkbench();
    // The panel shows an exchange (its saved state went to the workbench with it) before the window reloads.
    const before = await panelFrame('#status-line');
    await before.locator('#status-line').waitFor();
    // Collapse the headers and open the raw exchange (both differ from the defaults): they must survive the reload.
    const headersToggle = before.locator('#section-headers .section-toggle');
    if ((await headersToggle.getAttribute('aria-expanded')) === 'true') await headersToggle.click();
    assert.equal(await headersToggle.getAttribute('aria-expanded'), 'false');
    const rawToggle = before.locator('#section-raw .section-toggle');
    if ((await rawToggle.getAttribute('aria-expanded')) !== 'true') await rawToggle.click();
    assert.equal(await rawToggle.getAttribute('aria-expanded'), 'true');
    // Reload Window shuts the workbench down properly (it saves the editors and the webview state first);
    // a bare page reload may lose the last seconds of state in the browser workbench.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    try {
      frame = await panelFrame('#status-line', 60_000);
    } catch (e) {
      await screenshot('debug-reload');
      throw e;
    }
    assert.match(await statusLine(frame), /200/);
    assert.ok(await frame.locator('#section-body').count(), 'the body section is restored');
    assert.equal(
      await frame.locator('#section-headers .section-toggle').getAttribute('aria-expanded'),
      'false',
      'a collapsed section stays collapsed',
    );
    assert.equal(await frame.locator('#section-raw .section-toggle').getAttribute('aria-expanded'), 'true', 'an opened section stays open');
    assert.ok(await frame.locator('#section-headers .section-body[hidden]').count(), 'the collapsed section hides its content');
    // Rerun works from a restored panel too (it repeats the request as it went out).
    const sent = page.locator('.statusbar-item', { hasText: /200 in \d+ ms/ });
    assert.equal(await sent.count(), 0, 'nothing was sent since the reload');
    await frame.getByRole('button', { name: 'Rerun' }).click();
    await sent.first().waitFor({ timeout: 30_000 });
    frame = await panelFrame('#section-redirects');
    assert.match(await statusLine(frame), /200/);
  });

  it('toggles the body between decoded and the raw bytes from the wire', async () => {
    const page = await openWorkbench();
    await openFile('ui/panel.http');
    await codeLenses(page).nth(5).click();
    frame = await panelFrame('#status-line');
    await frame.locator('#section-body .body-info', { hasText: 'decoded from gzip' }).waitFor();
    const decoded = (await frame.locator('#section-body pre').first().textContent()) ?? '';
    assert.match(decoded, /"/, 'decoded JSON first');
    await frame.getByRole('button', { name: 'Wire' }).click();
    const wire = (await frame.locator('#section-body pre.hex').textContent()) ?? '';
    assert.match(wire, /^00000000 {2}/);
    assert.match(wire, /1f 8b/, 'the gzip bytes as they crossed the wire');
    await frame.getByRole('button', { name: 'Pretty' }).click();
    assert.equal((await frame.locator('#section-body pre').first().textContent()) ?? '', decoded);
  });

  it('shows the download as it happens, in the panel and the status bar, and cancels it', async () => {
    const page = await openWorkbench();
    await openFile('ui/panel.http');
    await codeLenses(page).nth(6).click();
    frame = await panelFrame('#cancel');
    await frame.locator('#phase', { hasText: /^downloading \d+ B/ }).waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: /downloading \d+ B.* · \d+\.\d s/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await frame.locator('#cancel').click();
    frame = await panelFrame('#error-title');
    assert.match((await frame.locator('#error-title').textContent()) ?? '', /cancelled/);
    // What arrived before the cancel is kept: the status line and headers of the partial response.
    assert.match((await frame.locator('#status-line').textContent()) ?? '', /200/);
  });

  it('opens a working panel again after every editor was closed', async () => {
    const page = await openWorkbench();
    await runCommand('View: Close All Editors');
    await page.locator('.tab').first().waitFor({ state: 'detached' });
    await openFile('ui/panel.http');
    await codeLenses(page).first().waitFor({ timeout: 60_000 });
    await codeLenses(page).nth(0).click();
    frame = await panelFrame('#status-line');
    assert.match(await statusLine(frame), /HTTP\/1\.1 200 OK/);
  });
});
