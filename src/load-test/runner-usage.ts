import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** What the load runner itself used: if it ran out of CPU, its latencies include its own lag. */
export interface RunnerUsage {
  /** Average CPU over the run, percent of one core (user + system). */
  cpuPercent: number;
  /** The busiest second, percent of one core. */
  peakCpuPercent: number;
  peakRssMB: number;
  peakHeapMB: number;
  /** How late the event loop ran timers: a busy runner delays every measurement. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

const SAMPLE_MS = 1000;

/** Samples CPU and memory every second until `stop()`, which returns the figures. */
export function watchRunner(): { stop: () => RunnerUsage } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const startCpu = process.cpuUsage();
  let lastCpu = startCpu;
  let lastAt = started;
  let peakCpu = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = (): void => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const usedMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    if (now > lastAt) peakCpu = Math.max(peakCpu, (100 * usedMs) / (now - lastAt));
    lastCpu = cpu;
    lastAt = now;
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      delay.disable();
      const total = process.cpuUsage(startCpu);
      const wallMs = Math.max(1, performance.now() - started);
      const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;
      const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
      return {
        cpuPercent: Math.round((1000 * (total.user + total.system)) / 1000 / wallMs / 10) / 1,
        peakCpuPercent: Math.round(peakCpu),
        peakRssMB: mb(peakRss),
        peakHeapMB: mb(peakHeap),
        eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      };
    },
  };
}
