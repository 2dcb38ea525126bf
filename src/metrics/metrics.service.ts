import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { FastifyInstance } from 'fastify';
import { routeOf } from '../http/http-seam';
import { collectDefaultMetrics, Counter, Gauge, type Metric, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  GatehouseEvent,
  type UserLoggedInEvent,
  type UserLoginFailedEvent,
} from '../events/gatehouse-events';
import { MailService } from '../mail/mail.service';
import { RequestDurations } from './request-durations';

/** The pg pool TypeORM keeps (absent on SQLite). */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Gatehouse's Prometheus metrics, in a registry of its own (so several apps in
 * one process never collide): HTTP requests, logins, the mail queue, the pool.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly requests = new RequestDurations(
    'gatehouse_http_request_duration_seconds',
    'HTTP requests by route, method and status, with their duration',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );

  private readonly logins = new Counter({
    name: 'gatehouse_logins_total',
    help: 'Login attempts by surface and outcome (success, bad_credentials, inactive, blocked, unverified)',
    labelNames: ['surface', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    mail: MailService,
    private readonly dataSource: DataSource,
  ) {
    this.registry.registerMetric(this.requests as unknown as Metric);
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
    new Gauge({
      name: 'gatehouse_mail_queue_depth',
      help: 'Mails waiting for delivery (all instances)',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await mail.queueDepth());
        } catch {
          // The database is away: the gauge keeps its last value.
        }
      },
    });
    new Counter({
      name: 'gatehouse_mail_delivery_failures_total',
      help: 'Failed mail delivery attempts on this instance',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(mail.failures);
      },
    });
    const pool = () => this.pool();
    new Gauge({
      name: 'gatehouse_db_pool_connections',
      help: 'PostgreSQL pool connections: total, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const current = pool();
        if (!current) return;
        this.set({ state: 'total' }, current.totalCount);
        this.set({ state: 'idle' }, current.idleCount);
        this.set({ state: 'waiting' }, current.waitingCount);
      },
    });
  }

  /** Times every answered request, labelled by its route pattern (never the raw URL). */
  observe(instance: FastifyInstance): void {
    instance.addHook('onResponse', (request, reply, done) => {
      this.record(request, request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }

  /** One answered request (any adapter), labelled by the route it matched. */
  record(request: object, method: string, status: number, seconds: number): void {
    this.requests.observe(routeOf(request)?.url ?? 'unmatched', method, status, seconds);
  }

  @OnEvent(GatehouseEvent.userLoggedIn)
  loggedIn(event: UserLoggedInEvent): void {
    this.logins.inc({ surface: event.surface, outcome: 'success' });
  }

  @OnEvent(GatehouseEvent.userLoginFailed)
  loginFailed(event: UserLoginFailedEvent): void {
    this.logins.inc({ surface: event.surface, outcome: event.reason });
  }

  private pool(): PgPool | undefined {
    if (this.dataSource.options.type !== 'postgres') return undefined;
    return (this.dataSource.driver as unknown as { master?: PgPool }).master;
  }
}
