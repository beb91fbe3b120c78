/**
 * The back-end of the Rule Things page: a gateway-addon APIHandler answering
 * `/extensions/rule-things/api/...` (the gateway checks the user's token first). It reads the
 * RuleThings, writes through their properties so the page obeys the same rules as the gateway
 * UI, and serves the history, the engine's week ahead and new rule files from templates.
 */
import fs from 'fs';
import path from 'path';
import { AddonManagerProxy, APIHandler, APIRequest, APIResponse } from 'gateway-addon';
import type { Clock } from '../../clock';
import type { JsonValue } from '../../protocol/gateway';
import type { PreviewOccurrence, RuleInfo } from '../../engine/messages';
import type { HistoryStore } from '../../host/HistoryStore';
import type { RuleThing } from '../RuleThing';
import type { RuleThingsAdapter } from '../RuleThingsAdapter';
import { renderRule, TemplateError, templateList } from './templates';

/** What the page needs of the rest of the add-on. */
export interface RuleThingsApiContext {
  adapter: RuleThingsAdapter;
  history: HistoryStore;
  clock: Clock;
  /** The configured IANA zone the times are shown in. */
  timeZone: string;
  /** Where new rule files are written; the engine picks them up by itself. */
  rulesFolder: string;
  /** The engine's week ahead; rejects while the engine does not run. */
  preview(fromMs: number, days: number): Promise<PreviewOccurrence[]>;
}

/** An answer the page can show: a status and a JSON body, `{ error }` for failures. */
class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown
  ) {}
}

const json = (status: number, body: unknown) => new Reply(status, body);
const fail = (status: number, error: string, field?: string) =>
  json(status, field ? { error, field } : { error });

const DEFAULT_DAYS = 7;

export class RuleThingsApi extends APIHandler {
  constructor(
    manager: AddonManagerProxy,
    packageName: string,
    private readonly context: RuleThingsApiContext
  ) {
    super(manager, packageName);
  }

  override async handleRequest(request: APIRequest): Promise<APIResponse> {
    let reply: Reply;
    try {
      reply = await this.route(
        request.getMethod().toUpperCase(),
        request
          .getPath()
          .split('/')
          .filter(Boolean)
          .map((part) => decodeURIComponent(part)),
        request.getBody() ?? {},
        request.getQuery() ?? {}
      );
    } catch (error) {
      reply = fail(500, `Rule Things could not answer: ${(error as Error).message}`);
    }
    return new APIResponse({
      status: reply.status,
      contentType: 'application/json',
      content: JSON.stringify(reply.body),
    });
  }

  private async route(
    method: string,
    parts: string[],
    body: Record<string, unknown>,
    query: Record<string, unknown>
  ): Promise<Reply> {
    const [top, id, member, name] = parts;
    const allow = (allowed: string, handler: () => Reply | Promise<Reply>) =>
      method === allowed
        ? handler()
        : fail(405, `${method} is not allowed on /${parts.join('/')}; use ${allowed}`);

    if (top === 'rules' && parts.length === 1) {
      if (method === 'POST') return this.createRule(body);
      return allow('GET', () => this.rules());
    }
    if (top === 'rules' && id !== undefined) {
      const thing = this.context.adapter.thing(id);
      if (!thing) return fail(404, `There is no rule "${id}"`);
      if (parts.length === 2) return allow('GET', () => json(200, { rule: view(thing) }));
      if (member === 'enabled' && parts.length === 3)
        return allow('PUT', () => this.setEnabled(thing, body));
      if (member === 'settings' && parts.length === 4)
        return allow('PUT', () => this.setSetting(thing, name, body));
      if (member === 'run' && parts.length === 3) return allow('POST', () => this.run(thing));
    }
    if (top === 'history' && parts.length === 1)
      return allow('GET', () => json(200, { entries: this.context.history.list() }));
    if (top === 'week-ahead' && parts.length === 1)
      return allow('GET', () => this.weekAhead(query));
    if (top === 'templates' && parts.length === 1)
      return allow('GET', () => json(200, { templates: templateList() }));
    return fail(404, `Rule Things has no /${parts.join('/')}`);
  }

  private rules(): Reply {
    return json(200, {
      zone: this.context.timeZone,
      now: this.context.clock.now().toISO(),
      rules: this.context.adapter.rules().map(view),
    });
  }

  private setEnabled(thing: RuleThing, body: Record<string, unknown>): Promise<Reply> {
    if (!('enabled' in body)) return Promise.resolve(fail(400, 'Send {"enabled": true or false}'));
    return this.write(thing, 'enabled', body.enabled);
  }

  private setSetting(
    thing: RuleThing,
    name: string,
    body: Record<string, unknown>
  ): Promise<Reply> {
    if (!thing.settingProperty(name)) {
      const names = thing.info().settings.map((s) => s.name);
      return Promise.resolve(
        fail(
          404,
          `${thing.getTitle()} has no setting "${name}" (settings: ${names.join(', ') || 'none'})`,
          name
        )
      );
    }
    if (!('value' in body)) return Promise.resolve(fail(400, 'Send {"value": …}', name));
    return this.write(thing, name, body.value);
  }

  /**
   * Writes as the gateway's setProperty does, through the RuleThing's property: the same checks,
   * the same engine round trip and saved state, and the gateway UI hears of the new value.
   */
  private async write(thing: RuleThing, name: string, value: unknown): Promise<Reply> {
    const property =
      name === 'enabled' ? thing.findProperty('enabled') : thing.settingProperty(name);
    if (!property) return fail(404, `${thing.getTitle()} has no property "${name}"`, name);
    try {
      await property.setValue(value as never);
    } catch (error) {
      return fail(400, (error as Error).message, name);
    }
    return json(200, { rule: view(thing) });
  }

  private async run(thing: RuleThing): Promise<Reply> {
    try {
      await thing.runNow();
    } catch (error) {
      return fail(503, `${thing.getTitle()} was not run: ${(error as Error).message}`);
    }
    return json(202, { rule: view(thing) });
  }

  private async weekAhead(query: Record<string, unknown>): Promise<Reply> {
    const days = query.days === undefined ? DEFAULT_DAYS : Number(query.days);
    if (!Number.isInteger(days) || days < 1 || days > 31) {
      return fail(
        400,
        `days ${JSON.stringify(query.days)} is not a whole number from 1 to 31`,
        'days'
      );
    }
    const from = this.context.clock.now();
    try {
      const occurrences = await this.context.preview(from.toMillis(), days);
      return json(200, {
        zone: this.context.timeZone,
        from: from.toISO(),
        until: from.plus({ days }).toISO(),
        occurrences,
      });
    } catch (error) {
      return fail(503, `The week ahead is not available: ${(error as Error).message}`);
    }
  }

  private createRule(body: Record<string, unknown>): Reply {
    let rendered;
    try {
      const values = typeof body.fields === 'object' && body.fields !== null ? body.fields : {};
      rendered = renderRule(body.template, body.name, values as Record<string, unknown>);
    } catch (error) {
      if (error instanceof TemplateError) return fail(400, error.message, error.field);
      throw error;
    }
    const folder = this.context.rulesFolder;
    const target = path.join(folder, rendered.file);
    try {
      fs.mkdirSync(folder, { recursive: true });
      // 'wx' fails if the file exists: a rule the user wrote is never overwritten.
      fs.writeFileSync(target, rendered.text, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return fail(
          409,
          `name: a rule file ${rendered.file} already exists in ${folder}; choose another name`,
          'name'
        );
      }
      return fail(500, `Could not write ${target}: ${(error as Error).message}`);
    }
    return json(201, {
      file: rendered.file,
      folder,
      className: rendered.className,
      ruleId: rendered.ruleId,
      message: `${rendered.file} was written to the rules folder; its RuleThing appears within seconds (click "+" on the Things page to add it)`,
    });
  }
}

/**
 * A rule as the page shows it: the engine's view with what its RuleThing shows, which is ahead
 * of the engine's next report right after a write.
 */
function view(thing: RuleThing): RuleInfo {
  const info = thing.info();
  const enabled = thing.findProperty('enabled')?.getCachedValue();
  return {
    ...info,
    enabled: typeof enabled === 'boolean' ? enabled : info.enabled,
    settings: info.settings.map((s) => {
      const property = thing.settingProperty(s.name);
      // A thing setting is shown as the gateway shows it: a drop-down of titles.
      const shown = s.thing && property ? { enum: property.asDict().enum as JsonValue[] } : {};
      return {
        ...s,
        ...shown,
        value: (property?.getCachedValue() as JsonValue | undefined) ?? s.value,
      };
    }),
    status: thing.shownStatus(),
  };
}
