/** The New rule tab: a rule file written from a template, with its fields checked by the add-on. A part of the page: see rule-things.js. */
(function () {
  'use strict';

  (window.RuleThingsPage = window.RuleThingsPage || []).push([
    'new',
    (kit) => {
      const { el, call } = kit;

      async function newRuleView(ext) {
        if (!ext.templates) ext.templates = (await call('GET', '/templates')).templates;
        const templates = ext.templates;
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

      return newRuleView;
    },
  ]);
})();
