import { loadConfig } from '../config/app-config';
import { LineIngressGate } from './line-ingress-gate';

const gate = (yieldMs: string, maxDeferMs: string) =>
  new LineIngressGate(loadConfig({ LINE_WORKER_YIELD_MS: yieldMs, LINE_WORKER_MAX_DEFER_MS: maxDeferMs }));

describe('LineIngressGate', () => {
  it('lets workers start when webhooks are not arriving in a burst', () => {
    const g = gate('100', '5000'); // a burst: 10 webhooks within a second
    expect(g.holdOff(10_000)).toBe(0);
    for (let t = 10_000; t < 19_000; t += 1000) g.arrived(t); // one per second
    expect(g.holdOff(19_000)).toBe(0);
  });

  it('holds workers off during a burst, until the last second no longer holds a burst', () => {
    const g = gate('100', '5000');
    g.holdOff(0); // admitted at t=0
    for (let t = 1_000; t < 1_100; t += 10) g.arrived(t); // 10 webhooks in 100 ms
    expect(g.holdOff(1_100)).toBe(900); // until the first of them is a second old
    expect(g.holdOff(1_999)).toBe(1);
    expect(g.holdOff(2_000)).toBe(0);
  });

  it('still starts one event every maxDeferMs under a never-ending burst', () => {
    const g = gate('25', '1000');
    g.holdOff(0);
    for (let t = 5; t < 1_000; t += 5) {
      g.arrived(t);
      if (t > 200) expect(g.holdOff(t)).toBeGreaterThan(0);
    }
    g.arrived(1_000);
    expect(g.holdOff(1_000)).toBe(0);
    g.arrived(1_005);
    // Looks again when the burst could be over (the oldest of the last 40 arrivals, at t=810, turns 1 s old).
    expect(g.holdOff(1_005)).toBe(805);
  });

  it('yieldMs 0 turns the gate off', () => {
    const g = gate('0', '1000');
    for (let t = 0; t < 100; t++) g.arrived(t);
    expect(g.holdOff(100)).toBe(0);
    expect(g.holdOff(101)).toBe(0);
  });
});
