/** GUI rules as the gateway's Rules page saves them, made and removed through `POST /rules` and `DELETE /rules/<id>`. */
import http from 'http';

type Property = { type: 'boolean'; thing: string; id: string };

const on = (thing: string): Property => ({ type: 'boolean', thing, id: 'on' });

/** "If <from> is on, turn <to…> on" (SetEffect: acts once per change to on). */
export function ifOnTurnOn(name: string, from: string, to: string[]): Record<string, unknown> {
  return {
    enabled: true,
    name,
    trigger: { type: 'BooleanTrigger', property: on(from), onValue: true },
    effect: {
      type: 'MultiEffect',
      effects: to.map((thing) => ({ type: 'SetEffect', property: on(thing), value: true })),
    },
  };
}

/** "While <from> is on, turn <to> on" (PulseEffect: off again when <from> goes off). */
export function whileOnTurnOn(name: string, from: string, to: string): Record<string, unknown> {
  return {
    enabled: true,
    name,
    trigger: { type: 'BooleanTrigger', property: on(from), onValue: true },
    effect: { type: 'PulseEffect', property: on(to), value: true },
  };
}

/** The gateway's rules API as its user (a local token may not touch /rules). */
export class GuiRules {
  private readonly made: number[] = [];

  constructor(
    private readonly base: string,
    private readonly jwt: string
  ) {}

  async add(rule: Record<string, unknown>): Promise<void> {
    const { id } = (await this.request('POST', 'rules', rule)) as { id: number };
    this.made.push(id);
  }

  /** Removes every rule this object added. */
  async removeAll(): Promise<void> {
    for (const id of this.made.splice(0)) await this.request('DELETE', `rules/${id}`);
  }

  private request(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path, this.base.endsWith('/') ? this.base : `${this.base}/`);
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        url,
        {
          method,
          headers: {
            Authorization: `Bearer ${this.jwt}`,
            Accept: 'application/json',
            ...(text === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
        },
        (response) => {
          let answer = '';
          response.on('data', (chunk: Buffer) => (answer += chunk.toString()));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status < 200 || status > 299) {
              reject(new Error(`${method} /${path}: HTTP ${status} ${answer.slice(0, 200)}`));
            } else resolve(answer ? JSON.parse(answer) : undefined);
          });
        }
      );
      request.on('error', reject);
      request.end(text);
    });
  }
}
