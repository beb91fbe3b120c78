/**
 * Requests to the engine thread that wait for its answer (a setting write, the week ahead), and
 * the setting writes it has not confirmed yet. A write is never held up by the engine: while it
 * is busy (silent for 0.7 s: a rule blocks it), restarting, or still loading its rules, the write
 * is answered by the host (the RuleThing has checked it against the setting's schema), and every
 * new engine is sent it again until one confirms it.
 */
import type { Worker } from 'worker_threads';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import type { FromEngine, PreviewOccurrence, ToEngine } from '../engine/messages';

interface Pending {
  resolve: (answer: unknown) => void;
  reject: (error: Error) => void;
  cancel: Cancel;
  /** For a write the host may answer itself: answers it so (the engine takes it later). */
  answerBusy?: () => void;
}

// Silence after which the engine counts as busy for a waiting setting write.
const BUSY_AFTER_MS = 700;

/** What the requests need to know of the engine thread now. */
export interface RequestTarget {
  readonly clock: Clock;
  readonly replyTimeoutMs: number;
  /** The current worker, if one runs. */
  worker(): Worker | undefined;
  /** Whether it has loaded its rules and can take a setting. */
  ready(): boolean;
  /** When it last sent anything (a sign that its event loop runs). */
  lastHeardAt(): number;
  /** How often it beats; a write may wait past one late beat. */
  heartbeatMs(): number;
}

export class EngineRequests {
  private requestSeq = 0;
  // requestId -> the caller waiting for the engine's reply
  private readonly pending = new Map<number, Pending>();
  // rule id + setting -> the latest write the engine has not confirmed, sent again to a new worker
  private readonly unconfirmed = new Map<string, Extract<ToEngine, { type: 'setSetting' }>>();

  constructor(private readonly target: RequestTarget) {}

  /** Asks the engine to take a setting; resolves when it accepts (or the host answers), rejects with its reason. */
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void> {
    const key = `${ruleId}\n${name}`;
    return this.request<void>(
      (requestId) => {
        const message = { type: 'setSetting' as const, requestId, ruleId, name, value };
        this.unconfirmed.set(key, message);
        return message;
      },
      () => undefined
    );
  }

  /** Asks the engine when its time-triggered rules fire in the `days` from `fromMs` (the week ahead). */
  preview(fromMs: number, days: number): Promise<PreviewOccurrence[]> {
    return this.request<PreviewOccurrence[]>((requestId) => ({
      type: 'preview',
      requestId,
      fromMs,
      days,
    }));
  }

  /** A new worker has loaded its rules: it gets every write no engine has confirmed. */
  resend(worker: Worker): void {
    for (const unconfirmed of this.unconfirmed.values()) worker.postMessage(unconfirmed);
  }

  /** The engine's `reply` or `preview`: its caller gets the answer; a write is not sent again. */
  answered(message: Extract<FromEngine, { type: 'reply' | 'preview' }>): void {
    if (message.type === 'reply') {
      for (const [key, sent] of this.unconfirmed) {
        if (sent.requestId === message.requestId) this.unconfirmed.delete(key);
      }
    }
    const pending = this.pending.get(message.requestId);
    if (!pending) return;
    this.pending.delete(message.requestId);
    pending.cancel();
    if (message.error) pending.reject(new Error(message.error));
    else pending.resolve(message.type === 'preview' ? message.occurrences : undefined);
  }

  /**
   * The worker is gone: a write is answered by the host (the next worker takes it), unless the
   * host is stopping; the rest fail with `reason`.
   */
  failAll(reason: string, stopping: boolean): void {
    for (const [id, pending] of this.pending) {
      pending.cancel();
      if (pending.answerBusy && !stopping) pending.answerBusy();
      else pending.reject(new Error(reason));
      this.pending.delete(id);
    }
  }

  /**
   * Sends a message that carries a requestId; resolves with the engine's answer to it, or with
   * `whenBusy()` once the engine has been silent for BUSY_AFTER_MS.
   */
  private request<T>(message: (requestId: number) => ToEngine, whenBusy?: () => T): Promise<T> {
    const worker = this.target.worker();
    const requestId = ++this.requestSeq;
    if (whenBusy && !(worker && this.target.ready())) {
      // Kept as unconfirmed by `message`: the worker sends it once it has loaded its rules.
      message(requestId);
      return Promise.resolve(whenBusy());
    }
    if (!worker) return Promise.reject(new Error('the rule engine is not running'));
    const { clock } = this.target;
    return new Promise<T>((resolve, reject) => {
      let cancelBusy: Cancel | undefined;
      const cancelReply = clock.after(this.target.replyTimeoutMs, () => {
        this.pending.delete(requestId);
        cancelBusy?.();
        reject(new Error('the rule engine did not answer'));
      });
      const cancel = (): void => {
        cancelReply();
        cancelBusy?.();
      };
      this.pending.set(requestId, {
        resolve: resolve as (answer: unknown) => void,
        reject,
        cancel,
        answerBusy: whenBusy && (() => resolve(whenBusy())),
      });
      // Past a late heartbeat (a loaded machine), yet within the 1 s a RuleThing write may wait.
      const busyAfterMs = Math.max(BUSY_AFTER_MS, this.target.heartbeatMs() + 200);
      const checkBusy = (): void => {
        if (!this.pending.has(requestId)) return;
        const silentMs = clock.nowMs() - this.target.lastHeardAt();
        if (silentMs < busyAfterMs) {
          cancelBusy = clock.after(busyAfterMs - silentMs, checkBusy);
          return;
        }
        this.pending.delete(requestId);
        cancel();
        resolve(whenBusy!());
      };
      if (whenBusy) checkBusy();
      worker.postMessage(message(requestId));
    });
  }
}
