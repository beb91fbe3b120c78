/**
 * The Rule Things page in the gateway's menu: every rule as a sentence with its switch, settings,
 * status and times; the history of firings and errors; the week ahead; a new rule from a
 * template. Plain JavaScript loaded by the gateway as a content script; it talks only to
 * /extensions/rule-things/api with the user's own token (window.API).
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
    constructor() {
      super(ID);
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
        let content;
        if (tab === 'rules') content = this.rulesView(await call('GET', '/rules'));
        else if (tab === 'week') content = this.weekView(await call('GET', '/week-ahead?days=7'));
        else if (tab === 'history') content = this.historyView(await call('GET', '/history'));
        else content = await this.newRuleView();
        if (tab === this.tab) this.body.replaceChildren(content);
      } catch (error) {
        if (tab === this.tab)
          this.body.replaceChildren(el('p', { class: 'rt-error' }, error.message));
      }
    }

    // ---- Rules ----

    rulesView(data) {
      this.zone = data.zone;
      if (data.rules.length === 0) {
        return el(
          'p',
          { class: 'rt-empty' },
          'No rules yet: write one from a template under “New rule”, or drop a rule file into the rules folder.'
        );
      }
      return el(
        'ul',
        { class: 'rt-rules' },
        data.rules.map((rule) => this.ruleCard(rule))
      );
    }

    ruleCard(rule) {
      const ok = rule.status === 'ok';
      // "ok, with warnings: …": the rule runs; its file has type warnings.
      const warned = rule.status.startsWith('ok, with warnings');
      const card = el(
        'li',
        {
          class: `rt-card${ok || warned ? '' : ' rt-invalid'}${rule.enabled ? '' : ' rt-off'}`,
          'data-rule': rule.id,
        },
        el(
          'div',
          { class: 'rt-card-head' },
          el('h2', { class: 'rt-rule-title' }, rule.title),
          this.enabledSwitch(rule)
        ),
        el('p', { class: 'rt-sentence' }, rule.description),
        el(
          'dl',
          { class: 'rt-facts' },
          el('dt', {}, 'Status'),
          el(
            'dd',
            { class: ok ? 'rt-ok' : warned ? 'rt-status-warning' : 'rt-status-error' },
            rule.status
          ),
          el('dt', {}, 'Last fired'),
          el('dd', {}, when(this.zone, rule.lastFired)),
          el('dt', {}, 'Next'),
          el('dd', {}, rule.nextFire ? when(this.zone, rule.nextFire) : rule.enabled ? '—' : 'off')
        ),
        rule.settings.length > 0
          ? el(
              'form',
              { class: 'rt-settings', onsubmit: (event) => event.preventDefault() },
              rule.settings.map((setting) => this.settingField(rule, setting))
            )
          : null,
        el(
          'div',
          { class: 'rt-actions' },
          el(
            'button',
            {
              class: 'rt-button',
              type: 'button',
              disabled: !rule.enabled,
              onclick: (event) => this.run(rule, event.target),
            },
            'Run now'
          ),
          el('span', { class: 'rt-file' }, rule.file)
        )
      );
      return card;
    }

    enabledSwitch(rule) {
      const input = el('input', {
        type: 'checkbox',
        class: 'rt-switch-input',
        checked: rule.enabled,
        'aria-label': `${rule.title} enabled`,
        onchange: async () => {
          input.disabled = true;
          try {
            await call('PUT', `/rules/${encodeURIComponent(rule.id)}/enabled`, {
              enabled: input.checked,
            });
          } catch (error) {
            input.checked = !input.checked;
            window.alert(error.message);
          }
          this.refresh();
        },
      });
      return el('label', { class: 'rt-switch' }, input, el('span', { class: 'rt-slider' }));
    }

    settingField(rule, setting) {
      const id = `rt-${rule.id}-${setting.name}`;
      const message = el('span', { class: 'rt-field-error', role: 'alert' });
      let input;
      const value = () => {
        if (setting.type === 'boolean') return input.checked;
        if (setting.type === 'number' || setting.type === 'integer') return Number(input.value);
        return input.value;
      };
      const save = async () => {
        message.textContent = '';
        input.classList.remove('rt-bad');
        try {
          await call(
            'PUT',
            `/rules/${encodeURIComponent(rule.id)}/settings/${encodeURIComponent(setting.name)}`,
            { value: value() }
          );
          input.classList.add('rt-saved');
          setTimeout(() => input.classList.remove('rt-saved'), 1200);
        } catch (error) {
          message.textContent = error.message;
          input.classList.add('rt-bad');
        }
      };
      if (setting.enum) {
        // A thing setting not chosen yet (or whose thing is gone) shows what to do instead of
        // seeming to hold its first entry, which could then not be chosen.
        const unchosen = !setting.enum.includes(setting.value);
        input = el(
          'select',
          { id, onchange: save },
          unchosen
            ? el(
                'option',
                { value: '', selected: true, disabled: true },
                setting.value ? `${setting.value} (not in the gateway)` : `choose…`
              )
            : null,
          setting.enum.map((option) =>
            el(
              'option',
              { value: String(option), selected: option === setting.value },
              String(option)
            )
          )
        );
      } else if (setting.type === 'boolean') {
        input = el('input', {
          id,
          type: 'checkbox',
          checked: setting.value === true,
          onchange: save,
        });
      } else if (setting.type === 'number' || setting.type === 'integer') {
        input = el('input', {
          id,
          type: 'number',
          value: String(setting.value),
          min: setting.minimum,
          max: setting.maximum,
          step: setting.type === 'integer' ? 1 : 'any',
          onchange: save,
        });
      } else {
        const isTime = TIME_PATTERNS.includes(setting.pattern);
        input = el('input', {
          id,
          type: 'text',
          value: String(setting.value),
          inputmode: isTime ? 'numeric' : undefined,
          placeholder: isTime ? 'HH:MM' : undefined,
          onchange: save,
        });
      }
      return el(
        'div',
        { class: 'rt-field' },
        el('label', { for: id }, setting.title, setting.unit ? ` (${setting.unit})` : ''),
        input,
        message
      );
    }

    async run(rule, button) {
      button.disabled = true;
      try {
        await call('POST', `/rules/${encodeURIComponent(rule.id)}/run`);
      } catch (error) {
        window.alert(error.message);
      }
      setTimeout(() => this.refresh(), 500);
    }

    // ---- Week ahead ----

    weekView(data) {
      this.zone = data.zone;
      const zone = data.zone;
      const days = new Map();
      const repeating = [];
      // Seven day rows from today, even for days when nothing happens.
      for (let i = 0; i < 7; i++) {
        const at = new Date(Date.parse(data.from) + i * 86400000).toISOString();
        days.set(dayName(zone, at), { sun: [], rules: [] });
      }
      for (const o of data.occurrences) {
        if (o.repeating) {
          repeating.push(o);
          continue;
        }
        const day = days.get(dayName(zone, o.at));
        if (day) (o.kind === 'sun' ? day.sun : day.rules).push(o);
      }
      const hours = el(
        'div',
        { class: 'rt-hours', 'aria-hidden': 'true' },
        [0, 6, 12, 18, 24].map((h) => el('span', { style: `left:${(h / 24) * 100}%` }, `${h}`))
      );
      return el(
        'div',
        { class: 'rt-week' },
        el('p', { class: 'rt-note' }, `Times in ${zone}. Sunrise and sunset are marked ☀ and ☾.`),
        hours,
        [...days.entries()].map(([name, day]) => this.dayRow(zone, name, day)),
        repeating.length > 0
          ? el(
              'ul',
              { class: 'rt-repeating' },
              repeating.map((o) => el('li', {}, el('strong', {}, o.title), ` fires ${o.trigger}`))
            )
          : null
      );
    }

    dayRow(zone, name, day) {
      const rise = day.sun.find((o) => o.title === 'sunrise');
      const set = day.sun.find((o) => o.title === 'sunset');
      const pct = (iso) => (minuteOfDay(zone, iso) / 1440) * 100;
      // Night is shaded before sunrise and after sunset; a day without either (polar) is left plain.
      const nights = [];
      if (rise)
        nights.push(el('span', { class: 'rt-night', style: `left:0;width:${pct(rise.at)}%` }));
      if (set) {
        nights.push(
          el('span', {
            class: 'rt-night',
            style: `left:${pct(set.at)}%;width:${100 - pct(set.at)}%`,
          })
        );
      }
      const marks = [
        ...day.sun.map((o) =>
          el(
            'span',
            {
              class: 'rt-sun-mark',
              style: `left:${pct(o.at)}%`,
              title: `${o.title} ${clockTime(zone, o.at)}`,
            },
            o.title === 'sunrise' ? '☀' : '☾'
          )
        ),
        ...day.rules.map((o) =>
          el('span', {
            class: 'rt-mark',
            style: `left:${pct(o.at)}%`,
            title: `${clockTime(zone, o.at)} ${o.title}`,
          })
        ),
      ];
      const list = [...day.sun, ...day.rules]
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
        .map((o) =>
          el(
            'li',
            { class: o.kind === 'sun' ? 'rt-sun-line' : 'rt-rule-line' },
            el('time', { datetime: o.at }, clockTime(zone, o.at)),
            ' ',
            o.kind === 'sun' ? o.title : el('strong', {}, o.title),
            o.kind === 'sun' ? '' : ` — ${o.trigger}`
          )
        );
      return el(
        'div',
        { class: 'rt-day' },
        el('h3', { class: 'rt-day-name' }, name),
        el('div', { class: 'rt-track' }, nights, marks),
        el('ul', { class: 'rt-day-list' }, list)
      );
    }

    // ---- History ----

    historyView(data) {
      if (data.entries.length === 0) {
        return el('p', { class: 'rt-empty' }, 'Nothing has happened yet.');
      }
      const zone = this.zone;
      return el(
        'ol',
        { class: 'rt-history' },
        data.entries.map((entry) =>
          el(
            'li',
            { class: `rt-entry rt-${entry.kind}` },
            el('time', { datetime: entry.at }, when(zone, entry.at)),
            el('strong', {}, entry.title),
            entry.kind === 'fired'
              ? el(
                  'span',
                  {},
                  entry.trigger,
                  entry.changes && entry.changes.length > 0
                    ? el(
                        'ul',
                        { class: 'rt-changes' },
                        entry.changes.map((c) => el('li', {}, c))
                      )
                    : null
                )
              : el('span', { class: 'rt-status-error' }, entry.message)
          )
        )
      );
    }

    // ---- New rule ----

    async newRuleView() {
      if (!this.templates) this.templates = (await call('GET', '/templates')).templates;
      const templates = this.templates;
      const result = el('p', { class: 'rt-result', role: 'status' });
      const fieldsBox = el('div', { class: 'rt-template-fields' });
      const errors = new Map();
      const name = el('input', {
        id: 'rt-new-name',
        type: 'text',
        name: 'name',
        placeholder: 'Hall light',
      });
      const select = el(
        'select',
        { id: 'rt-new-template', name: 'template', onchange: () => draw() },
        templates.map((t) => el('option', { value: t.id }, t.title))
      );
      const summary = el('p', { class: 'rt-note' });
      const field = (id, label, input, help) => {
        const message = el('span', { class: 'rt-field-error', role: 'alert' });
        errors.set(id, { input, message });
        return el(
          'div',
          { class: 'rt-field' },
          el('label', { for: input.id }, label),
          input,
          help ? el('small', {}, help) : null,
          message
        );
      };
      let drawn = [];
      const draw = () => {
        const template = templates.find((t) => t.id === select.value) || templates[0];
        summary.textContent = template.summary;
        // The previous template's fields go; the template and name fields stay.
        for (const old of drawn) errors.delete(old);
        drawn = template.fields.map((f) => f.name);
        fieldsBox.replaceChildren(
          ...template.fields.map((f) => {
            const id = `rt-new-${f.name}`;
            let input;
            if (f.kind === 'select') {
              input = el(
                'select',
                { id, name: f.name },
                Object.entries(f.options || {}).map(([value, label]) =>
                  el('option', { value, selected: value === f.default }, label)
                )
              );
            } else if (f.kind === 'lines') {
              input = el('textarea', { id, name: f.name, rows: 4 }, f.default);
            } else {
              input = el('input', {
                id,
                name: f.name,
                type: 'text',
                value: f.default,
                placeholder: f.kind === 'time' ? 'HH:MM' : undefined,
              });
            }
            return field(f.name, f.title, input, f.help);
          })
        );
      };
      const form = el(
        'form',
        {
          class: 'rt-new',
          onsubmit: async (event) => {
            event.preventDefault();
            result.textContent = '';
            result.className = 'rt-result';
            for (const { input, message } of errors.values()) {
              input.classList.remove('rt-bad');
              message.textContent = '';
            }
            const fields = {};
            for (const element of fieldsBox.querySelectorAll('[name]'))
              fields[element.name] = element.value;
            try {
              const created = await call('POST', '/rules', {
                template: select.value,
                name: name.value,
                fields,
              });
              result.textContent = created.message;
              result.classList.add('rt-ok');
            } catch (error) {
              const target = errors.get(error.field);
              if (target) {
                target.input.classList.add('rt-bad');
                target.message.textContent = error.message;
              } else {
                result.textContent = error.message;
                result.classList.add('rt-status-error');
              }
            }
          },
        },
        field('template', 'Template', select),
        summary,
        field('name', 'Rule name', name),
        fieldsBox,
        el('button', { class: 'rt-button', type: 'submit' }, 'Create rule'),
        result
      );
      draw();
      return form;
    }
  }

  new RuleThingsExtension();
})();
