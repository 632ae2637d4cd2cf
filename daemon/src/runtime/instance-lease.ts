import { createConnection, type Connection } from 'mysql2/promise';
import { poolOptionsFromUrl } from '../db/connect.ts';
import { lockName } from '../sync/push/instance-lock.ts';

/**
 * The single-instance lock of `b24xero run` (ARCHITECTURE rule 8): GET_LOCK('b24xero:<database>:<instance>') held on
 * a connection of its own for the daemon's whole life. The server releases the lock the moment that connection
 * dies — a MariaDB restart, a network cut — so the lease notices (connection error, or the periodic check that
 * the lock is still ours) and takes it again on a new connection. If another process got it meanwhile, the lease
 * is lost for good and the daemon must stop (exit non-zero), since two daemons would push the same records.
 */

export type LeaseState = 'held' | 'reacquiring' | 'lost' | 'released';

export interface LeaseEvents {
  /** The connection died or the lock is no longer ours; passes must pause until `onHeld`. */
  onLapse(reason: string): void;
  onHeld(): void;
  /** Another process holds the lock now: the daemon cannot go on. */
  onLost(reason: string): void;
}

export interface LeaseOptions {
  url: string;
  instance: string;
  /** How often the lock is checked (ms). Default 5 s. */
  checkMs?: number;
  /** Back-off between re-acquire attempts: starts here, doubles to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

export class InstanceTakenError extends Error {
  override name = 'InstanceTakenError';
  constructor(readonly instance: string, readonly lock: string) {
    super(`another b24xero process is already running instance '${instance}' (GET_LOCK('${lock}') is held); stop it first, or give this one another B24X_INSTANCE`);
  }
}

export class InstanceLease {
  readonly #o: Required<LeaseOptions>;
  readonly #events: LeaseEvents;
  #conn: Connection | null = null;
  #name = '';
  #state: LeaseState = 'released';
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<void> | null = null;

  constructor(options: LeaseOptions, events: LeaseEvents) {
    this.#o = { checkMs: 5_000, retryMs: 500, maxRetryMs: 15_000, ...options };
    this.#events = events;
  }

  get state(): LeaseState {
    return this.#state;
  }

  get lockName(): string {
    return this.#name;
  }

  /** Takes the lock or throws InstanceTakenError (another process has it) / the connection error. */
  async acquire(): Promise<void> {
    await this.#take();
    this.#state = 'held';
    this.#timer = setInterval(() => void this.#check(), this.#o.checkMs);
    this.#timer.unref();
  }

  /** Releases the lock and closes its connection. Idempotent; never throws. */
  async release(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    const was = this.#state;
    this.#state = 'released';
    // A re-acquire loop in progress sees the state and ends by itself; waiting for it could take a back-off step.
    const conn = this.#conn;
    this.#conn = null;
    if (!conn) return;
    if (was === 'held') await conn.query('SELECT RELEASE_LOCK(?)', [this.#name]).catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  }

  async #take(): Promise<void> {
    const options = poolOptionsFromUrl(this.#o.url);
    const conn = await createConnection({
      host: options.host, port: options.port, user: options.user, password: options.password, database: options.database,
      charset: 'utf8mb4', connectTimeout: 10_000,
    });
    // A dead connection reports here (fatal errors); the periodic check notices a silent one.
    conn.on('error', () => void this.#check());
    try {
      const [rows] = await conn.query('SELECT DATABASE() AS db');
      this.#name = lockName(String((rows as Array<{ db: string | null }>)[0]?.db ?? ''), this.#o.instance);
      const [got] = await conn.query('SELECT GET_LOCK(?, 0) AS got', [this.#name]);
      if (Number((got as Array<{ got: number | null }>)[0]?.got) !== 1) throw new InstanceTakenError(this.#o.instance, this.#name);
    } catch (error) {
      conn.destroy();
      throw error;
    }
    this.#conn = conn;
  }

  #check(): Promise<void> {
    if (this.#state !== 'held') return this.#checking ?? Promise.resolve();
    this.#checking ??= (async () => {
      try {
        const [rows] = await this.#conn!.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [this.#name]);
        if (Number((rows as Array<{ mine: number | null }>)[0]?.mine) === 1) return;
        await this.#reacquire('the lock is no longer held by this daemon');
      } catch (error) {
        await this.#reacquire(`the lock's database connection failed: ${(error as Error).message}`);
      }
    })().finally(() => { this.#checking = null; });
    return this.#checking;
  }

  async #reacquire(reason: string): Promise<void> {
    if (this.#state !== 'held') return;
    this.#state = 'reacquiring';
    this.#conn?.destroy();
    this.#conn = null;
    this.#events.onLapse(reason);
    let delay = this.#o.retryMs;
    // Until the database answers again (a restart takes seconds to minutes), or the daemon is stopped.
    while (this.#state === 'reacquiring') {
      try {
        await this.#take();
        if (this.#state !== 'reacquiring') {
          // Stopped meanwhile: the new connection (and the lock on it) goes.
          (this.#conn as Connection | null)?.destroy();
          this.#conn = null;
          return;
        }
        this.#state = 'held';
        this.#events.onHeld();
        return;
      } catch (error) {
        if (error instanceof InstanceTakenError) {
          this.#state = 'lost';
          this.#events.onLost(error.message);
          return;
        }
      }
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, this.#o.maxRetryMs);
    }
  }
}
