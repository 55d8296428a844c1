/*
 * kudos-widget.js: the reference widget for kudos' widget JSON
 * (schema "kudos.widget/1", sdk/schema/widget.v1.schema.json).
 *
 * Vanilla JavaScript, no framework, nothing loaded from elsewhere.  Every
 * element with a data-kudos-src attribute becomes a widget:
 *
 *   <section data-kudos-src="widget.json" data-kudos-layout="grid"></section>
 *
 *   data-kudos-src            the widget file, fetched from the same origin
 *   data-kudos-layout         "grid" (default) or "carousel"
 *   data-kudos-remote-images  "true" to show avatars hosted by the platforms
 *                             (off by default: a visitor's browser then never
 *                             contacts another site; local copies named by
 *                             the job's avatar_map and initials are shown)
 *   data-kudos-jsonld         "true" to put the file's schema.org JSON-LD in
 *                             the page's <head> (once per page)
 *
 * Safety: every field is inserted with textContent or as an attribute
 * value through setAttribute() after a check (http(s) links only; local
 * files only as same-origin paths relative to the widget file).  Nothing
 * from the file is ever parsed as HTML.  When done, the container gets
 * data-kudos-ready="N" (the number of items shown) or data-kudos-error.
 */
(function () {
  'use strict';

  var BADGES = {
    incentivized: 'Incentivized review',
    employee: 'Employee of the brand',
    verified_buyer: 'Verified buyer'
  };
  var CLAMP_CHARS = 600;
  var uid = 0;
  var jsonldDone = false;

  /* ---- checks -------------------------------------------------------- */

  function str(v) {
    return typeof v === 'string' && v !== '' ? v : null;
  }

  /* An absolute http(s) URL, normalised, or null. */
  function httpUrl(v) {
    if (!str(v)) return null;
    var u;
    try { u = new URL(v); } catch (e) { return null; }
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  }

  /* A path relative to the widget file, as a same-origin URL, or null. */
  function localUrl(v, base) {
    if (!str(v) || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) || v.charAt(0) === '/' ||
        v.indexOf('\\') >= 0 || /[\u0000-\u001f\u007f]/.test(v)) return null;
    var encoded = v.split('/').map(encodeURIComponent).join('/');
    var u;
    try { u = new URL(encoded, base); } catch (e) { return null; }
    return u.origin === base.origin ? u.href : null;
  }

  /* ---- building blocks ----------------------------------------------- */

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function srOnly(text) {
    return el('span', 'kudos-sr', text);
  }

  function initials(name) {
    var letters = [];
    (name || '').split(/\s+/).forEach(function (word) {
      var chars = Array.from(word).filter(function (c) { return /\p{L}|\p{N}/u.test(c); });
      if (chars.length && letters.length < 2) letters.push(chars[0].toUpperCase());
    });
    return letters.length ? letters.join('') : '?';
  }

  function formatNumber(n, lang) {
    try {
      return new Intl.NumberFormat(lang || undefined, { maximumFractionDigits: 1 }).format(n);
    } catch (e) {
      return String(Math.round(n * 10) / 10);
    }
  }

  /* Stars for value out of scale: an image with a spoken label. */
  function stars(value, scale, lang) {
    var wrap = el('span', 'kudos-stars');
    var fraction = Math.max(0, Math.min(1, value / scale));
    wrap.setAttribute('role', 'img');
    wrap.setAttribute('aria-label', 'Rated ' + formatNumber(value, lang) + ' out of ' +
                      formatNumber(scale, lang));
    var base = el('span', 'kudos-stars-base', '\u2605\u2605\u2605\u2605\u2605');
    var fill = el('span', 'kudos-stars-fill', '\u2605\u2605\u2605\u2605\u2605');
    base.setAttribute('aria-hidden', 'true');
    fill.setAttribute('aria-hidden', 'true');
    fill.style.width = (fraction * 100).toFixed(2) + '%';
    wrap.appendChild(base);
    wrap.appendChild(fill);
    return wrap;
  }

  function avatar(author, base, remote) {
    var box = el('span', 'kudos-avatar');
    var name = author && str(author.name);
    var initialsEl = el('span', 'kudos-initials', initials(name || (author && author.handle)));
    initialsEl.setAttribute('aria-hidden', 'true');
    var src = author ? localUrl(author.avatar, base) : null;
    if (!src && remote && author) src = httpUrl(author.avatar);
    if (!src) {
      box.appendChild(initialsEl);
      return box;
    }
    var img = el('img', 'kudos-avatar-img');
    img.setAttribute('alt', '');
    img.setAttribute('loading', 'lazy');
    img.setAttribute('referrerpolicy', 'no-referrer');
    img.addEventListener('error', function () {
      if (img.parentNode) img.parentNode.replaceChild(initialsEl, img);
    });
    img.setAttribute('src', src);
    box.appendChild(img);
    return box;
  }

  function quote(item, id) {
    var bq = el('blockquote', 'kudos-quote');
    bq.setAttribute('dir', 'auto');
    if (str(item.language)) bq.setAttribute('lang', item.language);
    var text = el('span', 'kudos-text', item.text);
    bq.appendChild(text);
    if (Array.from(item.text).length <= CLAMP_CHARS) return { node: bq, toggle: null };
    bq.id = id + '-quote';
    bq.classList.add('kudos-quote--clamped');
    var button = el('button', 'kudos-more', 'Show the whole quote');
    button.type = 'button';
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', bq.id);
    button.addEventListener('click', function () {
      var open = bq.classList.toggle('kudos-quote--clamped') === false;
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      button.textContent = open ? 'Show less' : 'Show the whole quote';
    });
    return { node: bq, toggle: button };
  }

  function formatDate(iso, lang) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    try {
      return new Intl.DateTimeFormat(lang || undefined,
                                     { year: 'numeric', month: 'long', day: 'numeric',
                                       timeZone: 'UTC' }).format(d);
    } catch (e) {
      return iso.slice(0, 10);
    }
  }

  /* One testimonial as a <figure>: quote, attribution, rating, badges. */
  function card(item, ctx) {
    var id = 'kudos-' + (++uid);
    var fig = el('figure', 'kudos-card');
    fig.setAttribute('data-kudos-id', item.id);
    var image = localUrl(item.card, ctx.base);
    if (image) {
      var img = el('img', 'kudos-card-image');
      img.setAttribute('alt', '');
      img.setAttribute('loading', 'lazy');
      img.setAttribute('src', image);
      fig.appendChild(img);
    }
    if (item.rating && typeof item.rating.value === 'number' &&
        typeof item.rating.scale === 'number' && item.rating.scale > 0)
      fig.appendChild(stars(item.rating.value, item.rating.scale, ctx.lang));
    if (str(item.title)) {
      var title = el('p', 'kudos-title', item.title);
      title.setAttribute('dir', 'auto');
      fig.appendChild(title);
    }
    var q = quote(item, id);
    fig.appendChild(q.node);
    if (q.toggle) fig.appendChild(q.toggle);

    var caption = el('figcaption', 'kudos-attribution');
    var author = item.author || null;
    caption.appendChild(avatar(author, ctx.base, ctx.remote));
    var who = el('span', 'kudos-who');
    var name = author && (str(author.name) || str(author.handle));
    var cite = el('cite', 'kudos-name', name || 'Anonymous');
    cite.setAttribute('dir', 'auto');
    var profile = author ? httpUrl(author.url) : null;
    if (profile) {
      var a = el('a', 'kudos-profile');
      a.setAttribute('href', profile);
      a.setAttribute('rel', 'nofollow noopener noreferrer ugc');
      a.appendChild(cite);
      who.appendChild(a);
    } else {
      who.appendChild(cite);
    }
    if (author && str(author.handle) && author.handle !== name) {
      var handle = el('span', 'kudos-handle', author.handle);
      handle.setAttribute('dir', 'auto');
      who.appendChild(handle);
    }
    if (author && str(author.role)) {
      var role = el('span', 'kudos-role', author.role);
      role.setAttribute('dir', 'auto');
      who.appendChild(role);
    }
    caption.appendChild(who);
    fig.appendChild(caption);

    if (Array.isArray(item.badges) && item.badges.length) {
      var list = el('ul', 'kudos-badges');
      list.setAttribute('aria-label', 'Disclosures');
      item.badges.forEach(function (b) {
        if (Object.prototype.hasOwnProperty.call(BADGES, b))
          list.appendChild(el('li', 'kudos-badge kudos-badge--' + b, BADGES[b]));
      });
      fig.appendChild(list);
    }

    var meta = el('p', 'kudos-meta');
    meta.appendChild(el('span', 'kudos-source', item.source));
    if (str(item.created_at)) {
      var time = el('time', null, formatDate(item.created_at, ctx.lang));
      time.setAttribute('datetime', item.created_at);
      meta.appendChild(time);
    }
    var permalink = httpUrl(item.permalink);
    if (permalink) {
      var link = el('a', 'kudos-permalink', 'View original');
      link.setAttribute('href', permalink);
      link.setAttribute('rel', 'nofollow noopener noreferrer ugc');
      link.appendChild(srOnly(' (' + (name || 'anonymous') + ' on ' + item.source + ')'));
      meta.appendChild(link);
    }
    fig.appendChild(meta);
    return fig;
  }

  function summary(doc, lang) {
    var agg = doc.aggregate || {};
    var p = el('p', 'kudos-summary');
    if (typeof agg.rating_average === 'number' && agg.rating_count > 0) {
      p.appendChild(stars(agg.rating_average, 5, lang));
      p.appendChild(el('span', 'kudos-summary-text',
                       formatNumber(agg.rating_average, lang) + ' out of 5, from ' +
                       agg.rating_count + (agg.rating_count === 1 ? ' rating' : ' ratings') +
                       (Array.isArray(agg.sources) && agg.sources.length
                         ? ' (' + agg.sources.join(', ') + ')' : '')));
    } else {
      p.appendChild(el('span', 'kudos-summary-text', 'No ratings yet'));
    }
    return p;
  }

  /* ---- layouts ------------------------------------------------------- */

  function grid(items, ctx) {
    var list = el('ul', 'kudos-grid');
    list.setAttribute('role', 'list');
    items.forEach(function (item) {
      var li = el('li', 'kudos-cell');
      li.appendChild(card(item, ctx));
      list.appendChild(li);
    });
    return list;
  }

  function carousel(items, ctx) {
    var region = el('div', 'kudos-carousel');
    region.setAttribute('role', 'region');
    region.setAttribute('aria-roledescription', 'carousel');
    region.setAttribute('aria-label', ctx.label || 'Testimonials');
    var controls = el('div', 'kudos-controls');
    var prev = el('button', 'kudos-prev');
    var next = el('button', 'kudos-next');
    prev.type = next.type = 'button';
    prev.setAttribute('aria-label', 'Previous testimonial');
    next.setAttribute('aria-label', 'Next testimonial');
    prev.appendChild(el('span', null, '\u2039')).setAttribute('aria-hidden', 'true');
    next.appendChild(el('span', null, '\u203a')).setAttribute('aria-hidden', 'true');
    var status = el('p', 'kudos-status');
    status.setAttribute('aria-live', 'polite');
    status.setAttribute('aria-atomic', 'true');
    controls.appendChild(prev);
    controls.appendChild(status);
    controls.appendChild(next);
    var track = el('ul', 'kudos-track');
    track.setAttribute('role', 'list');
    track.tabIndex = 0;
    track.setAttribute('aria-label', 'Testimonials; use the arrow keys to move');
    var slides = items.map(function (item, i) {
      var li = el('li', 'kudos-slide');
      li.setAttribute('role', 'group');
      li.setAttribute('aria-roledescription', 'slide');
      li.setAttribute('aria-label', (i + 1) + ' of ' + items.length);
      li.appendChild(card(item, ctx));
      track.appendChild(li);
      return li;
    });
    var current = 0;
    function show(i) {
      if (!slides.length) return;
      current = (i + slides.length) % slides.length;
      slides.forEach(function (s, k) {
        s.hidden = k !== current;
        s.classList.toggle('kudos-slide--current', k === current);
      });
      status.textContent = 'Testimonial ' + (current + 1) + ' of ' + slides.length;
      region.setAttribute('data-kudos-current', String(current));
    }
    prev.addEventListener('click', function () { show(current - 1); });
    next.addEventListener('click', function () { show(current + 1); });
    region.addEventListener('keydown', function (ev) {
      if (ev.target && ev.target.closest && ev.target.closest('a, button:not(.kudos-prev):not(.kudos-next)'))
        return;
      var to = ev.key === 'ArrowRight' ? current + 1 : ev.key === 'ArrowLeft' ? current - 1
             : ev.key === 'Home' ? 0 : ev.key === 'End' ? slides.length - 1 : null;
      if (to === null) return;
      ev.preventDefault();
      show(to);
    });
    if (slides.length < 2) prev.disabled = next.disabled = true;
    region.appendChild(controls);
    region.appendChild(track);
    show(0);
    return region;
  }

  /* ---- the page ------------------------------------------------------ */

  function addJsonld(ld) {
    if (jsonldDone || !ld || typeof ld !== 'object') return;
    jsonldDone = true;
    var s = document.createElement('script');
    s.type = 'application/ld+json';
    /* A data block, never run; '<' escaped so "</script>" in a quote stays text
     * even if someone copies this element into static HTML. */
    s.textContent = JSON.stringify(ld).replace(/</g, '\\u003c');
    document.head.appendChild(s);
  }

  function fail(root, message) {
    var p = el('p', 'kudos-error', message);
    p.setAttribute('role', 'status');
    root.appendChild(p);
    root.setAttribute('data-kudos-error', message);
  }

  function render(root, doc, base) {
    if (!doc || doc.schema !== 'kudos.widget/1' || !Array.isArray(doc.items)) {
      fail(root, 'Testimonials are unavailable (not a kudos.widget/1 file).');
      return;
    }
    var items = doc.items.filter(function (it) {
      return it && typeof it === 'object' && str(it.id) && typeof it.text === 'string';
    });
    var ctx = {
      base: base,
      lang: document.documentElement.lang || undefined,
      remote: root.getAttribute('data-kudos-remote-images') === 'true',
      label: root.getAttribute('aria-label')
    };
    root.appendChild(summary(doc, ctx.lang));
    if (!items.length) {
      root.appendChild(el('p', 'kudos-empty', 'No testimonials to show yet.'));
    } else if (root.getAttribute('data-kudos-layout') === 'carousel') {
      root.appendChild(carousel(items, ctx));
    } else {
      root.appendChild(grid(items, ctx));
    }
    if (root.getAttribute('data-kudos-jsonld') === 'true') addJsonld(doc.jsonld);
    root.setAttribute('data-kudos-ready', String(items.length));
  }

  function load(root) {
    var src = root.getAttribute('data-kudos-src');
    var base;
    try { base = new URL(src, document.baseURI); } catch (e) { base = null; }
    if (!base || base.origin !== window.location.origin) {
      fail(root, 'Testimonials are unavailable (the widget file must be on this site).');
      return Promise.resolve();
    }
    return fetch(base.href, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (doc) { render(root, doc, base); })
      .catch(function (e) { fail(root, 'Testimonials are unavailable (' + e.message + ').'); });
  }

  function start() {
    var roots = document.querySelectorAll('[data-kudos-src]');
    Array.prototype.forEach.call(roots, load);
  }

  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', start);
  else
    start();
}());
