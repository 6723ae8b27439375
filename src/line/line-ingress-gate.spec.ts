import { loadConfig } from '../config/app-config';
import { LineIngressGate } from './line-ingress-gate';

const gate = (yieldMs: string, maxDeferMs: string) =>
  new LineIngressGate(loadConfig({ LINE_WORKER_YIELD_MS: yieldMs, LINE_WORKER_MAX_DEFER_MS: maxDeferMs }));

describe('LineIngressGate', () => {
  it('lets workers start when no webhook arrived recently', () => {
    expect(gate('100', '5000').holdOff(10_000)).toBe(0);
  });

  it('holds workers off while webhooks keep arriving, until the stream is quiet for yieldMs', () => {
    const g = gate('100', '5000');
    g.holdOff(1_000); // admitted at t=1000
    g.arrived(1_050);
    expect(g.holdOff(1_060)).toBe(90);
    expect(g.holdOff(1_150)).toBe(0);
  });

  it('still starts one event every maxDeferMs under a never-ending stream', () => {
    const g = gate('100', '1000');
    g.holdOff(0);
    for (let t = 10; t < 1_000; t += 10) {
      g.arrived(t);
      expect(g.holdOff(t)).toBeGreaterThan(0);
    }
    g.arrived(1_000);
    expect(g.holdOff(1_000)).toBe(0);
    g.arrived(1_010);
    expect(g.holdOff(1_010)).toBeGreaterThan(0);
  });

  it('yieldMs 0 turns the gate off', () => {
    const g = gate('0', '1000');
    g.arrived(5);
    expect(g.holdOff(5)).toBe(0);
  });
});
