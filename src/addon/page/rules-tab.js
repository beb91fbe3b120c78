/** The Rules tab: every rule as a card with its sentence, switch, settings, status and times. A part of the page: see rule-things.js. */
(function () {
  'use strict';

  (window.RuleThingsPage = window.RuleThingsPage || []).push([
    'rules',
    (kit) => {
      const { el, call, when, TIME_PATTERNS } = kit;

      function rulesView(ext, data) {
        ext.zone = data.zone;
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
          data.rules.map((rule) => ruleCard(ext, rule))
        );
      }

      function ruleCard(ext, rule) {
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
            enabledSwitch(ext, rule)
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
            el('dd', {}, when(ext.zone, rule.lastFired)),
            el('dt', {}, 'Next'),
            el('dd', {}, rule.nextFire ? when(ext.zone, rule.nextFire) : rule.enabled ? '—' : 'off')
          ),
          rule.settings.length > 0
            ? el(
                'form',
                { class: 'rt-settings', onsubmit: (event) => event.preventDefault() },
                rule.settings.map((setting) => settingField(ext, rule, setting))
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
                onclick: (event) => run(ext, rule, event.target),
              },
              'Run now'
            ),
            el('span', { class: 'rt-file' }, rule.file)
          )
        );
        return card;
      }

      function enabledSwitch(ext, rule) {
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
            ext.refresh();
          },
        });
        return el('label', { class: 'rt-switch' }, input, el('span', { class: 'rt-slider' }));
      }

      function settingField(ext, rule, setting) {
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

      async function run(ext, rule, button) {
        button.disabled = true;
        try {
          await call('POST', `/rules/${encodeURIComponent(rule.id)}/run`);
        } catch (error) {
          window.alert(error.message);
        }
        setTimeout(() => ext.refresh(), 500);
      }

      return rulesView;
    },
  ]);
})();
