// The reference widget (samples/web/) in a real browser, against a widget
// file full of hostile items.  Run by tests/test_output_widget_browser.c:
//
//   node tests/web/browser_test.mjs --root SITE --shots DIR [--chromium PATH]
//
// SITE holds index.html, kudos-widget.js, kudos-widget.css and the
// widget.json kudos wrote (with its cards and avatars).  The script serves
// SITE on a loopback port, drives Debian's Chromium headless through
// playwright-core (flags below, a fresh --user-data-dir, the page's CSP
// bypassed so that only the widget's own code stands between a payload
// and the page), and checks:
//   - every item of widget.json is shown, with its exact text, title and
//     credited name, its stars, badges, avatar or initials, card and link;
//   - no injected script ran (window.__pwned stays unset, no dialog, no
//     uncaught error), no element carries an on* attribute, no foreign
//     element (svg, iframe, object, embed) or script appeared, links are
//     http(s) only and every image is same-origin;
//   - no request left loopback (others are blocked and reported);
//   - the carousel works from the keyboard and honours
//     prefers-reduced-motion; long quotes fold behind a button;
// and saves screenshots in DIR for a person to look at.
// Exit status: 0 all good, 1 a check failed (each failure printed),
// 77 the browser test cannot run here (the reason printed).
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, extname, resolve } from 'node:path';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const root = resolve(arg('--root', ''));
const shots = resolve(arg('--shots', 'build/web'));
const chromiumPath = arg('--chromium', process.env.CHROMIUM || '/usr/bin/chromium');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync',
               // belt and braces: any name other than loopback fails to resolve
               '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.log(`cannot run: playwright-core is not installed (${e.message}); run make deps`);
  process.exit(77);
}
if (!existsSync(chromiumPath)) {
  console.log(`cannot run: no browser at ${chromiumPath}; install Debian's chromium (make deps)`);
  process.exit(77);
}

const widget = JSON.parse(readFileSync(join(root, 'widget.json'), 'utf8'));
mkdirSync(shots, { recursive: true });
const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
  return ok;
}

// ---- a static server on loopback ------------------------------------------
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
                '.css': 'text/css; charset=utf-8', '.json': 'application/json',
                '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml' };
const served = [];
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  served.push(url.pathname);
  const file = normalize(join(root, decodeURIComponent(url.pathname)));
  if (!file.startsWith(root + '/') || !existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream',
                       'cache-control': 'no-store' });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---- the browser ----------------------------------------------------------
const profile = mkdtempSync(join(tmpdir(), 'kudos-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: FLAGS, bypassCSP: true,
    viewport: { width: 1280, height: 900 }, reducedMotion: 'no-preference',
    colorScheme: 'light', locale: 'en-US', timezoneId: 'UTC'
  });
} catch (e) {
  server.close();
  rmSync(profile, { recursive: true, force: true });
  console.log(`cannot run: ${chromiumPath} did not start: ${e.message.split('\n')[0]}`);
  process.exit(77);
}
const offLoopback = [];
const dialogs = [];
const pageErrors = [];
await context.route('**/*', (route) => {
  const u = new URL(route.request().url());
  if (u.hostname === '127.0.0.1' || u.protocol === 'data:') return route.continue();
  offLoopback.push(route.request().url());
  return route.abort('blockedbyclient');
});
context.on('request', (r) => {
  const u = new URL(r.url());
  if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:' && !offLoopback.includes(r.url()))
    offLoopback.push(r.url());
});

try {
  const page = context.pages()[0] || await context.newPage();
  page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
  await page.waitForSelector('[data-kudos-layout="grid"][data-kudos-ready], [data-kudos-layout="grid"][data-kudos-error]', { timeout: 15000 });
  await page.waitForSelector('[data-kudos-layout="carousel"][data-kudos-ready], [data-kudos-layout="carousel"][data-kudos-error]', { timeout: 15000 });
  // Let images load (or fail) before judging the page.
  await page.waitForLoadState('networkidle').catch(() => {});

  // ---- every item, exactly ------------------------------------------------
  const shown = await page.evaluate(() => {
    const grid = document.querySelector('[data-kudos-layout="grid"]');
    return {
      error: grid.getAttribute('data-kudos-error'),
      ready: grid.getAttribute('data-kudos-ready'),
      cards: Array.from(grid.querySelectorAll('figure.kudos-card')).map((f) => {
        const r = f.getBoundingClientRect();
        const avatarImg = f.querySelector('.kudos-avatar-img');
        return {
          id: f.getAttribute('data-kudos-id'),
          visible: r.width > 0 && r.height > 0,
          text: f.querySelector('.kudos-text')?.textContent ?? null,
          quoteTag: f.querySelector('.kudos-text')?.parentElement?.tagName ?? null,
          quoteDir: f.querySelector('blockquote')?.getAttribute('dir') ?? null,
          cite: f.querySelector('figcaption cite')?.textContent ?? null,
          title: f.querySelector('.kudos-title')?.textContent ?? null,
          stars: f.querySelector('.kudos-stars')?.getAttribute('aria-label') ?? null,
          badges: Array.from(f.querySelectorAll('.kudos-badge')).map((b) => b.className.replace(/.*kudos-badge--/, '')),
          avatar: avatarImg ? avatarImg.src : null,
          avatarLoaded: avatarImg ? avatarImg.complete && avatarImg.naturalWidth > 0 : null,
          initials: f.querySelector('.kudos-initials')?.textContent ?? null,
          card: f.querySelector('.kudos-card-image')?.src ?? null,
          permalink: f.querySelector('a.kudos-permalink')?.getAttribute('href') ?? null,
          more: f.querySelector('.kudos-more')?.getAttribute('aria-expanded') ?? null
        };
      })
    };
  });
  check(!shown.error, `the grid failed: ${shown.error}`);
  check(shown.cards.length === widget.items.length,
        `the grid shows ${shown.cards.length} items, widget.json has ${widget.items.length}`);
  for (const item of widget.items) {
    const c = shown.cards.find((x) => x.id === item.id);
    if (!check(c, `item ${item.id} is not shown`)) continue;
    const tag = `item ${JSON.stringify(item.id)}`;
    check(c.visible, `${tag} is not visible`);
    check(c.text === item.text, `${tag}: shown text differs from widget.json (${JSON.stringify((c.text || '').slice(0, 80))}...)`);
    check(c.quoteTag === 'BLOCKQUOTE' && c.quoteDir === 'auto', `${tag}: quote is not a <blockquote dir=auto>`);
    const name = item.author?.name || item.author?.handle || 'Anonymous';
    check(c.cite === name, `${tag}: <cite> shows ${JSON.stringify(c.cite)}, expected ${JSON.stringify(name)}`);
    check(c.title === (item.title ?? null), `${tag}: title shows ${JSON.stringify(c.title)}`);
    check((c.stars !== null) === !!item.rating, `${tag}: stars ${c.stars ? 'shown without' : 'missing for'} a rating`);
    check(JSON.stringify(c.badges) === JSON.stringify(item.badges || []), `${tag}: badges ${c.badges} != ${item.badges || []}`);
    const localAvatar = item.author?.avatar && !/^https?:/i.test(item.author.avatar);
    if (localAvatar) {
      check(c.avatar && c.avatar.startsWith(origin + '/'), `${tag}: local avatar not shown (${c.avatar})`);
      check(c.avatarLoaded, `${tag}: local avatar did not load`);
    } else {
      check(!c.avatar && c.initials, `${tag}: expected initials, got avatar ${c.avatar}`);
    }
    check((c.card !== null) === !!item.card, `${tag}: card ${c.card ? 'shown without' : 'missing for'} "card"`);
    if (item.card) check(c.card.startsWith(origin + '/'), `${tag}: card not from this site: ${c.card}`);
    check(c.permalink === (item.permalink ? new URL(item.permalink).href : null),
          `${tag}: permalink ${c.permalink} != ${item.permalink}`);
    check((c.more !== null) === (Array.from(item.text).length > 600), `${tag}: long-quote button ${c.more}`);
  }

  // ---- nothing injected ran -------------------------------------------------
  const dom = await page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('*'));
    const ld = document.querySelector('script[type="application/ld+json"]');
    return {
      pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
      onAttrs: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name))
                                   .map((a) => `${e.tagName}[${a.name}]`)),
      foreign: all.filter((e) => /^(svg|iframe|object|embed|frame|math|form|base|meta)$/i.test(e.tagName) &&
                                 !e.closest('head')).map((e) => e.tagName),
      scripts: Array.from(document.scripts).map((s) => s.type === 'application/ld+json' ? 'ld+json' : s.src.replace(location.origin, '')),
      links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.href),
      images: Array.from(document.images).map((i) => i.src),
      ld: ld ? ld.textContent : null
    };
  });
  check(dom.pwned === null, `an injected script ran: window.__pwned = ${dom.pwned}`);
  check(dialogs.length === 0, `a dialog opened: ${dialogs.join('; ')}`);
  check(pageErrors.length === 0, `uncaught errors: ${pageErrors.join('; ')}`);
  check(dom.onAttrs.length === 0, `event-handler attributes in the page: ${dom.onAttrs.join(', ')}`);
  check(dom.foreign.length === 0, `foreign elements in the page: ${dom.foreign.join(', ')}`);
  const wantScripts = widget.jsonld ? ['/kudos-widget.js', 'ld+json'] : ['/kudos-widget.js'];
  check(JSON.stringify(dom.scripts) === JSON.stringify(wantScripts),
        `unexpected scripts: ${JSON.stringify(dom.scripts)}`);
  for (const href of dom.links)
    check(/^https?:/.test(href), `a link with another scheme: ${href}`);
  for (const src of dom.images)
    check(src.startsWith(origin + '/'), `an image from elsewhere: ${src}`);
  if (widget.jsonld) {
    let parsed = null;
    try { parsed = JSON.parse(dom.ld); } catch (e) { /* checked below */ }
    check(JSON.stringify(parsed) === JSON.stringify(widget.jsonld), 'the page JSON-LD differs from widget.json');
  }

  // ---- long quotes fold behind a button ------------------------------------
  const longOne = widget.items.find((i) => Array.from(i.text).length > 600);
  if (longOne) {
    const fig = page.locator(`[data-kudos-layout="grid"] figure[data-kudos-id="${longOne.id.replace(/["\\]/g, '\\$&')}"]`);
    const button = fig.locator('.kudos-more');
    const folded = await fig.locator('blockquote').evaluate((b) => b.getBoundingClientRect().height);
    await button.focus();
    await page.keyboard.press('Enter');
    check(await button.getAttribute('aria-expanded') === 'true', 'the long-quote button does not open from the keyboard');
    const open = await fig.locator('blockquote').evaluate((b) => b.getBoundingClientRect().height);
    check(open > folded * 2, `opening a long quote did not show it (height ${folded} -> ${open})`);
    await page.keyboard.press('Enter');
  }

  // ---- the carousel, from the keyboard --------------------------------------
  const car = page.locator('[data-kudos-layout="carousel"] .kudos-carousel');
  const n = widget.items.length;
  const state = () => car.evaluate((c) => ({
    current: c.getAttribute('data-kudos-current'),
    status: c.querySelector('.kudos-status').textContent,
    visible: Array.from(c.querySelectorAll('.kudos-slide')).filter((s) => !s.hidden).length,
    anim: getComputedStyle(c.querySelector('.kudos-slide--current')).animationName,
    role: c.getAttribute('role') + '/' + c.getAttribute('aria-roledescription')
  }));
  let s = await state();
  check(s.role === 'region/carousel', `carousel roles: ${s.role}`);
  check(s.current === '0' && s.status === `Testimonial 1 of ${n}` && s.visible === 1,
        `carousel starts at ${JSON.stringify(s)}`);
  await car.locator('.kudos-track').focus();
  await page.keyboard.press('ArrowRight');
  s = await state();
  check(s.current === '1' && s.status === `Testimonial 2 of ${n}` && s.visible === 1,
        `ArrowRight did not move to slide 2: ${JSON.stringify(s)}`);
  check(s.anim === 'kudos-slide-in', `slides do not animate without a reduced-motion wish: ${s.anim}`);
  await page.keyboard.press('End');
  s = await state();
  check(s.current === String(n - 1), `End did not go to the last slide: ${JSON.stringify(s)}`);
  await page.keyboard.press('ArrowRight');
  s = await state();
  check(s.current === '0', `ArrowRight on the last slide did not wrap: ${JSON.stringify(s)}`);
  await car.locator('.kudos-next').focus();
  await page.keyboard.press('Enter');
  s = await state();
  check(s.current === '1', `the Next button does not work from the keyboard: ${JSON.stringify(s)}`);
  await page.keyboard.press('Shift+Tab');
  check(await page.evaluate(() => document.activeElement?.className) === 'kudos-prev',
        'Shift+Tab from Next does not reach Previous');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.keyboard.press('Enter');
  s = await state();
  check(s.current === '0' && s.anim === 'none',
        `with prefers-reduced-motion the slide still animates (${s.anim}) or Previous failed (${s.current})`);

  // ---- pictures for a person (still, so no slide is caught mid-animation) ----
  await page.evaluate(() => document.activeElement?.blur());
  await car.screenshot({ path: join(shots, 'widget-carousel.png') });
  await page.screenshot({ path: join(shots, 'widget-page.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await page.screenshot({ path: join(shots, 'widget-mobile.png'), fullPage: false });

  // ---- a tampered file (not from kudos): the widget's own checks hold ------
  // kudos never writes these, but a page must survive a file edited by
  // hand or by a compromised build step.
  const tampered = {
    schema: 'kudos.widget/1', generated_at: '2026-01-01T00:00:00Z', count: 6,
    aggregate: { rating_count: 1, rating_average: 5, sources: ['x'] },
    items: [
      { id: 't:1', source: 'x', kind: 'review', text: 'js link', permalink: 'javascript:window.__pwned="href"',
        author: { name: 'T1', url: 'JAVASCRIPT:window.__pwned="profile"', avatar: '//evil.example/a.png' } },
      { id: 't:2', source: 'x', kind: 'review', text: 'abs card', card: '/etc/passwd',
        author: { name: 'T2', avatar: 'https://evil.example/b.png' } },
      { id: 't:3', source: 'x', kind: 'review', text: 'sneaky card', card: '..\\..\\x.png',
        author: { name: 'T3', avatar: 'data:image/svg+xml,<svg onload=alert(1)>' } },
      { id: 't:4', source: 'x', kind: 'review', text: 'other scheme', permalink: 'data:text/html,<script>alert(1)</script>',
        card: 'https://evil.example/card.png', rating: { value: 7, scale: 5 } },
      { id: 't:5', source: 'x', kind: 'review', text: { html: '<img src=x onerror=alert(1)>' } },
      { id: 't:6', source: 'x', kind: 'review', text: 'vbscript', permalink: ' vbscript:msgbox(1)',
        badges: ['<img src=x onerror=alert(1)>', 'employee'] }
    ]
  };
  writeFileSync(join(root, 'tampered.json'), JSON.stringify(tampered));
  writeFileSync(join(root, 'tampered.html'),
                readFileSync(join(root, 'index.html'), 'utf8').replaceAll('widget.json', 'tampered.json'));
  await page.goto(`${origin}/tampered.html`, { waitUntil: 'load' });
  await page.waitForSelector('[data-kudos-layout="grid"][data-kudos-ready]', { timeout: 15000 });
  await page.waitForLoadState('networkidle').catch(() => {});
  const t = await page.evaluate(() => ({
    pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
    ids: Array.from(document.querySelectorAll('[data-kudos-layout="grid"] figure')).map((f) => f.getAttribute('data-kudos-id')),
    links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href')),
    images: Array.from(document.images).map((i) => i.src),
    badges: Array.from(document.querySelectorAll('[data-kudos-layout="grid"] .kudos-badge')).map((b) => b.textContent),
    onAttrs: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length
  }));
  check(t.pwned === null, `tampered file: a script ran (${t.pwned})`);
  check(JSON.stringify(t.ids) === JSON.stringify(['t:1', 't:2', 't:3', 't:4', 't:6']),
        `tampered file: shown ${JSON.stringify(t.ids)} (an item whose text is not text must be skipped)`);
  check(t.links.length === 0, `tampered file: links with other schemes kept: ${t.links.join(', ')}`);
  check(t.images.every((src) => src.startsWith(origin + '/')) && t.images.length === 0,
        `tampered file: images shown: ${t.images.join(', ')}`);
  check(JSON.stringify(t.badges) === JSON.stringify(['Employee of the brand']), `tampered file: badges ${t.badges}`);
  check(t.onAttrs === 0, 'tampered file: event-handler attributes appeared');
  check(dialogs.length === 0, `tampered file: a dialog opened: ${dialogs.join('; ')}`);

  check(offLoopback.length === 0, `requests left loopback: ${offLoopback.join(', ')}`);
  check(served.includes('/widget.json'), 'the page never fetched widget.json');
} catch (e) {
  failures.push(`the test itself failed: ${e.stack || e}`);
} finally {
  await context.close().catch(() => {});
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

if (failures.length) {
  for (const f of failures) console.log(`FAIL ${f}`);
  process.exit(1);
}
console.log(`ok: ${widget.items.length} items shown exactly; no script ran; no dialog; ` +
            `${served.length} requests, all on loopback; screenshots in ${shots}`);
process.exit(0);
