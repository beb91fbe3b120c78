/** What every rule's status says while the gateway cannot be reached, so the user sees one cause instead of many write errors. */
import { DateTime } from 'luxon';
import type { ConnectionState } from '../protocol/gateway';

export class GatewayStatus {
  private problemText: string | null = null;
  private isDown = false;

  constructor(private readonly zone: string) {}

  /** Takes the connection's new state; true if what the rules show changed. */
  update(state: ConnectionState): boolean {
    const before = this.problemText;
    this.isDown = state.state === 'down';
    this.problemText =
      state.state === 'down'
        ? `gateway unreachable since ${DateTime.fromMillis(state.since, { zone: this.zone }).toFormat('yyyy-MM-dd HH:mm:ss')} (${state.reason}); rules resume when it is back`
        : null;
    return this.problemText !== before;
  }

  get down(): boolean {
    return this.isDown;
  }

  /** "gateway unreachable since 2027-06-14 08:00:05 (…)", or null while it is reachable. */
  get problem(): string | null {
    return this.problemText;
  }
}
