import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { GatehouseEvents } from './gatehouse-events.service';

/** The event bus (EventEmitter2 with wildcards, so `user.*` listens to every user event). */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' })],
  providers: [GatehouseEvents],
  exports: [GatehouseEvents],
})
export class EventsModule {}
