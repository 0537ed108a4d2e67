import { ServerPool } from '@loadex/pool';
import { Forwarders } from '../../apps/balancer/src/proxy/transport/hpm/hpm-forwarders';
import { UpstreamAgents } from '../../apps/balancer/src/proxy/transport/hpm/upstream-agents';

/** The original built a proxy object per request; Loadex builds one per backend, when it joins the pool. */
describe('Forwarders', () => {
  let agents: UpstreamAgents;
  afterEach(() => agents.onApplicationShutdown());

  it('builds one proxy instance per backend, reuses it for every request, drops it when the backend leaves', () => {
    const pool = new ServerPool();
    agents = new UpstreamAgents();
    const forwarders = new Forwarders(pool, agents);
    const a = pool.add(new URL('http://127.0.0.1:9')).backend;
    forwarders.onModuleInit();

    const first = forwarders.get(a);
    expect(typeof first).toBe('function');
    for (let i = 0; i < 100; i++) expect(forwarders.get(a)).toBe(first);

    const b = pool.add(new URL('http://127.0.0.1:10')).backend; // joins after start-up: built from the pool event
    const forB = forwarders.get(b);
    expect(typeof forB).toBe('function');
    expect(forB).not.toBe(first);

    pool.remove(b.url);
    expect(forwarders.get(b)).toBeUndefined();
    expect(forwarders.get(a)).toBe(first);
    forwarders.onModuleDestroy();
  });

  it('gives every backend the shared keep-alive agent of its protocol', () => {
    agents = new UpstreamAgents();
    expect(agents.for(new URL('http://a:1'))).toBe(agents.http);
    expect(agents.for(new URL('http://b:2'))).toBe(agents.http);
    expect(agents.for(new URL('https://c:3'))).toBe(agents.https);
    // Node keeps the options an agent was made with; typed loosely here because @types/node omits them.
    expect((agents.http as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
  });
});
