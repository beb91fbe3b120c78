/**
 * The Rule Things page in the gateway's menu: every rule as a sentence with its switch, settings,
 * status and times; the history of firings and errors; the week ahead; a new rule from a
 * template. Plain JavaScript loaded by the gateway as content scripts; it talks only to
 * /extensions/rule-things/api with the user's own token (window.API).
 *
 * This file holds the page itself (tabs, refresh) and the kit every tab uses (`el`, `call`, times);
 * each tab is its own file (rules-tab.js, week-tab.js, history-tab.js, new-rule-tab.js). The
 * gateway inserts the scripts without waiting for one another, so they may run in any order: a
 * tab file pushes `[name, (kit) => view]` onto `window.RuleThingsPage`, and the page registers
 * with the gateway once this file and every tab are there.
 */
(function () {
  'use strict';

  const ID = 'rule-things';
  const API_BASE = `/extensions/${ID}/api`;
  // While the page is shown, what the engine did shows up without a reload.
  const REFRESH_MS = 10000;
  const TABS = [
    ['rules', 'Rules'],
    ['week', 'Week ahead'],
    ['history', 'History'],
    ['new', 'New rule'],
  ];
  // the API path each tab shows (the new-rule tab asks for what it needs itself)
  const SOURCES = { rules: '/rules', week: '/week-ahead?days=7', history: '/history' };

  /** A DOM element with attributes and children; text is always set as text, never as HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== 'string') node[key] = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Calls the add-on's API; rejects with its `error` sentence and `field` when it refuses. */
  async function call(method, path, body) {
    const api = window.API;
    const headers =
      api && typeof api.headers === 'function'
        ? api.headers(body ? 'application/json' : undefined)
        : Object.assign(
            { Accept: 'application/json' },
            body ? { 'Content-Type': 'application/json' } : {}
          );
    const response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = null;
    try {
      data = await response.json();
    } catch (_error) {
      data = null;
    }
    if (!response.ok) {
      const error = new Error((data && data.error) || `the gateway answered ${response.status}`);
      error.field = data && data.field;
      throw error;
    }
    return data;
  }

  /** Times in the add-on's configured zone, whatever the browser's zone is. */
  function formatter(zone, options) {
    try {
      return new Intl.DateTimeFormat(undefined, Object.assign({ timeZone: zone }, options));
    } catch (_error) {
      return new Intl.DateTimeFormat(undefined, options);
    }
  }

  function clockTime(zone, iso) {
    return formatter(zone, { hour: '2-digit', minute: '2-digit', hour12: false }).format(
      new Date(iso)
    );
  }

  function dayName(zone, iso) {
    return formatter(zone, { weekday: 'short', day: 'numeric', month: 'short' }).format(
      new Date(iso)
    );
  }

  /** "today 06:10", "Tue 15 Jun 06:10". */
  function when(zone, iso) {
    if (!iso) return 'never';
    const today = dayName(zone, new Date().toISOString());
    const day = dayName(zone, iso);
    return `${day === today ? 'today' : day} ${clockTime(zone, iso)}`;
  }

  /** Minutes since local midnight in the zone, for the timeline. */
  function minuteOfDay(zone, iso) {
    const parts = formatter(zone, { hour: 'numeric', minute: 'numeric', hour12: false })
      .formatToParts(new Date(iso))
      .reduce((acc, part) => Object.assign(acc, { [part.type]: Number(part.value) }), {});
    return ((parts.hour % 24) * 60 + parts.minute) % 1440;
  }

  const TIME_PATTERNS = ['^([01]\\d|2[0-3]):[0-5]\\d$', '^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$'];

  class RuleThingsExtension extends window.Extension {
    constructor(views) {
      super(ID);
      // tab -> (page, data) => its content
      this.views = views;
      this.addMenuEntry('Rule Things');
      this.tab = 'rules';
      this.timer = null;
      this.zone = undefined;
      this.templates = null;
      this.root = el('div', { class: 'rt-page' });
      this.view.append(this.root);
    }

    show() {
      this.render();
      this.refresh();
      clearInterval(this.timer);
      this.timer = setInterval(() => this.refresh(true), REFRESH_MS);
    }

    hide() {
      clearInterval(this.timer);
      this.timer = null;
    }

    render() {
      const tabs = el(
        'nav',
        { class: 'rt-tabs', role: 'tablist' },
        TABS.map(([id, label]) =>
          el(
            'button',
            {
              class: `rt-tab${this.tab === id ? ' rt-selected' : ''}`,
              role: 'tab',
              'aria-selected': String(this.tab === id),
              'data-tab': id,
              onclick: () => {
                this.tab = id;
                this.render();
                this.refresh();
              },
            },
            label
          )
        )
      );
      this.body = el('div', { class: 'rt-body', 'aria-live': 'polite' }, 'Loading…');
      this.root.replaceChildren(
        el('div', { class: 'rt-title-bar' }, el('h1', { class: 'rt-header' }, 'Rule Things')),
        tabs,
        this.body
      );
    }

    /** Reloads the current tab; a periodic reload leaves a form being edited alone. */
    async refresh(periodic) {
      if (periodic && (this.tab === 'new' || this.root.contains(document.activeElement))) return;
      const tab = this.tab;
      try {
        const data = SOURCES[tab] ? await call('GET', SOURCES[tab]) : undefined;
        const content = await this.views[tab](this, data);
        if (tab === this.tab) this.body.replaceChildren(content);
      } catch (error) {
        if (tab === this.tab)
          this.body.replaceChildren(el('p', { class: 'rt-error' }, error.message));
      }
    }
  }

  const kit = { el, call, clockTime, dayName, when, minuteOfDay, TIME_PATTERNS };
  const views = {};
  let started = false;
  function define([name, makeView]) {
    views[name] = makeView(kit);
    if (started || !TABS.every(([tab]) => views[tab])) return;
    started = true;
    new RuleThingsExtension(views);
  }
  const queue = (window.RuleThingsPage = window.RuleThingsPage || []);
  queue.forEach(define);
  queue.push = (entry) => {
    define(entry);
    return queue.length;
  };
})();
