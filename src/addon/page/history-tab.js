/** The History tab: firings and errors, newest first. A part of the page: see rule-things.js. */
(function () {
  'use strict';

  (window.RuleThingsPage = window.RuleThingsPage || []).push([
    'history',
    (kit) => {
      const { el, when } = kit;

      function historyView(ext, data) {
        if (data.entries.length === 0) {
          return el('p', { class: 'rt-empty' }, 'Nothing has happened yet.');
        }
        const zone = ext.zone;
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

      return historyView;
    },
  ]);
})();
