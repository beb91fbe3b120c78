/**
 * Commands checked as the gateway would check them (the thing, the member, the value) and sent
 * through the member's HTTP form, with errors that name the thing, member and value but never the
 * token.
 */
import type { JsonValue } from '../protocol/gateway';
import { validateValue } from '../protocol/validateValue';
import type { ClientTrace } from './clientOptions';
import type { Command } from './CommandQueue';
import {
  GatewayAuthError,
  GatewayHttpError,
  GatewayRequestError,
  messageOf,
  scrub,
} from './errors';
import { formUrl } from './forms';
import type { GatewayRest } from './GatewayRest';
import type { ThingMirror } from './ThingMirror';

export class RestCommands {
  constructor(
    private readonly mirror: ThingMirror,
    private readonly rest: GatewayRest,
    private readonly token: string,
    private readonly trace: ClientTrace | undefined
  ) {}

  /** Why the thing cannot take the command (no such thing or member), or undefined. */
  memberError(thingId: string, command: Command): GatewayRequestError | undefined {
    const thing = this.mirror.get(thingId);
    if (!thing) return this.requestError(thingId, command, 'the gateway has no such thing');
    const members =
      command.kind === 'set' ? thing.description.properties : (thing.description.actions ?? {});
    if (!Object.hasOwn(members, command.name)) {
      return this.requestError(
        thingId,
        command,
        `the thing has no ${command.kind === 'set' ? 'property' : 'action'} of that name`
      );
    }
    return undefined;
  }

  /** Why a value may not be written, as the gateway's own check of a PUT would say, or undefined. */
  valueError(thingId: string, command: Command): GatewayRequestError | undefined {
    const property = this.mirror.get(thingId)!.description.properties[command.name];
    if (property.readOnly) return this.requestError(thingId, command, 'the property is read-only');
    const reason = validateValue(property, command.value);
    return reason ? this.requestError(thingId, command, `invalid value: ${reason}`) : undefined;
  }

  /** One PUT or POST through the member's form. */
  async sendOverRest(thingId: string, command: Command): Promise<void> {
    const missing = this.memberError(thingId, command);
    if (missing) throw missing;
    const description = this.mirror.get(thingId)!.description;
    const set = command.kind === 'set';
    const member = set ? description.properties[command.name] : description.actions![command.name];
    const url = formUrl(member.forms, set ? 'writeproperty' : 'invokeaction', this.rest.base);
    if (!url) {
      throw this.requestError(thingId, command, 'its description offers no HTTP form for this');
    }
    try {
      const sent = set
        ? this.rest.putProperty(url, command.value as JsonValue)
        : this.rest.postAction(url, command.value);
      this.trace?.commandOut?.(thingId, command.name);
      await sent;
    } catch (error) {
      const status =
        error instanceof GatewayHttpError || error instanceof GatewayAuthError
          ? error.status
          : undefined;
      const detail = error instanceof GatewayHttpError ? error.detail : messageOf(error);
      throw this.requestError(thingId, command, scrub(detail, this.token), status);
    }
  }

  /** The error a command rejects with: it names the thing, the member, the value and why. */
  requestError(
    thingId: string,
    command: Command,
    detail: string,
    status?: number
  ): GatewayRequestError {
    const title = this.mirror.get(thingId)?.description.title;
    return new GatewayRequestError(
      command.kind === 'set' ? 'property' : 'action',
      { id: thingId, title },
      command.name,
      command.value,
      detail,
      status
    );
  }
}
