import { Injectable } from '@nestjs/common';
import { LineInboxRepository, type NewInboxEvent } from './line-inbox.repository';

interface Waiting {
  events: NewInboxEvent[];
  resolve(stored: number): void;
  reject(err: unknown): void;
}

/**
 * Group commit for the inbox: while one insert is running, the webhooks that arrive meanwhile wait and are then
 * written together, in one INSERT. Each request still answers only after its own events are committed, but
 * under a burst the database does one statement per batch instead of one per request, so acknowledgements keep
 * up (the embedded database runs every statement on the main thread). With no burst, a batch is one request.
 */
@Injectable()
export class LineInboxWriter {
  private writing = false;
  private waiting: Waiting[] = [];

  constructor(private readonly inbox: LineInboxRepository) {}

  /** Resolves with how many of `events` were new (the rest were already in the inbox) once they are stored. */
  write(events: NewInboxEvent[]): Promise<number> {
    if (events.length === 0) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        const stored = new Set(await this.inbox.insertEvents(batch.flatMap((w) => w.events)));
        for (const w of batch) {
          // A key counts for the first request that carried it (a duplicate in the same batch stores nothing).
          let mine = 0;
          for (const e of w.events) if (stored.delete(e.eventKey)) mine++;
          w.resolve(mine);
        }
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.writing = false;
  }
}
