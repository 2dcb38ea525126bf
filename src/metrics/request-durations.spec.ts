import { Histogram, Registry } from 'prom-client';
import { RequestDurations } from './request-durations';

/** The same observations through prom-client's own Histogram and RequestDurations: the same exposition. */
describe('RequestDurations', () => {
  const buckets = [0.005, 0.01, 0.1, 1];
  const observations: [string, string, number, number][] = [
    ['/api/token', 'POST', 200, 0.004],
    ['/api/token', 'POST', 200, 0.005],
    ['/api/token', 'POST', 401, 0.05],
    ['/users/:id', 'GET', 200, 3],
    ['/api/token', 'POST', 200, 0.2],
  ];

  function both() {
    const theirs = new Registry();
    const ours = new Registry();
    const histogram = new Histogram({
      name: 'gatehouse_http_request_duration_seconds',
      help: 'durations',
      labelNames: ['route', 'method', 'status'] as const,
      buckets,
      registers: [theirs],
    });
    const durations = new RequestDurations(
      'gatehouse_http_request_duration_seconds',
      'durations',
      buckets,
    );
    ours.registerMetric(durations as never);
    for (const [route, method, status, seconds] of observations) {
      histogram.observe({ route, method, status: String(status) }, seconds);
      durations.observe(route, method, status, seconds);
    }
    return { theirs, ours, durations };
  }

  it("writes the text prom-client's Histogram writes for the same observations", async () => {
    const { theirs, ours } = both();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('and the same JSON', async () => {
    const { theirs, ours } = both();
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('starts over on reset', async () => {
    const { ours, durations } = both();
    durations.reset();
    expect(await ours.metrics()).not.toContain('_count');
  });
});
