import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { GatehouseEventMap } from './gatehouse-events';

/**
 * Emits Gatehouse's lifecycle events with their typed payloads and waits for
 * the listeners, so a listener's work (revoking sessions, writing an audit row)
 * is done before the HTTP answer goes out.
 */
@Injectable()
export class GatehouseEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  async emit<K extends keyof GatehouseEventMap>(
    name: K,
    payload: GatehouseEventMap[K],
  ): Promise<void> {
    await this.emitter.emitAsync(name, payload);
  }
}
