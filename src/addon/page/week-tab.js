/** The Week ahead tab: a row per day with the sun and the times each rule fires. A part of the page: see rule-things.js. */
(function () {
  'use strict';

  (window.RuleThingsPage = window.RuleThingsPage || []).push([
    'week',
    (kit) => {
      const { el, clockTime, dayName, when, minuteOfDay } = kit;

      function weekView(ext, data) {
        ext.zone = data.zone;
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
          [...days.entries()].map(([name, day]) => dayRow(ext, zone, name, day)),
          repeating.length > 0
            ? el(
                'ul',
                { class: 'rt-repeating' },
                repeating.map((o) => el('li', {}, el('strong', {}, o.title), ` fires ${o.trigger}`))
              )
            : null
        );
      }

      function dayRow(ext, zone, name, day) {
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

      return weekView;
    },
  ]);
})();
