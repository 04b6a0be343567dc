/**
 * The scenario generator's metric series, exported through an OTLP metric exporter: DCGM-style
 * GPU gauges per host every 30 s, and a cumulative histogram of feature-read latency per host
 * built from the same reads the traces show.
 */
import type { Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ValueType } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';

function exportMetrics(exporter: PushMetricExporter, rm: ResourceMetrics): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(rm, (result) => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('metric export failed')))),
  );
}

export interface GpuMetricPlan {
  startMs: number;
  endMs: number;
  throttledHost: string;
  throttledWhile: (t: number) => boolean;
  r: () => number;
}

/** DCGM-style gauges per host every 30 s: SM clock and temperature. */
export async function sendGpuMetrics(exporter: PushMetricExporter, resources: Resource[], hosts: string[], plan: GpuMetricPlan): Promise<void> {
  const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
  for (let h = 0; h < hosts.length; h++) {
    const clock: { t: number; v: number }[] = [];
    const temp: { t: number; v: number }[] = [];
    for (let t = plan.startMs; t < plan.endMs; t += 30_000) {
      const throttled = hosts[h] === plan.throttledHost && plan.throttledWhile(t);
      clock.push({ t, v: throttled ? 650 + 100 * plan.r() : 1400 + 50 * plan.r() });
      temp.push({ t, v: throttled ? 89 + 2 * plan.r() : 65 + 5 * plan.r() });
    }
    const gauge = (name: string, unit: string, points: { t: number; v: number }[]) => ({
      descriptor: { name, description: '', unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE as const,
      dataPoints: points.map((p) => ({ startTime: hr(p.t), endTime: hr(p.t), attributes: { gpu: '0' }, value: p.v })),
    });
    await exportMetrics(exporter, {
      resource: resources[h]!,
      scopeMetrics: [
        {
          scope: { name: 'dcgm-exporter', version: '3.3.5' },
          metrics: [gauge('DCGM_FI_DEV_SM_CLOCK', 'MHz', clock), gauge('DCGM_FI_DEV_GPU_TEMP', 'Cel', temp)],
        },
      ],
    });
  }
}

const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500];

/** feature_store.read.duration: a cumulative histogram per host, one point per 30 s. */
export async function sendReadLatencyHistograms(
  exporter: PushMetricExporter,
  resources: Resource[],
  perHost: Map<number, number[]>[],
  startMs: number,
  endMs: number,
): Promise<void> {
  const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
  for (let h = 0; h < resources.length; h++) {
    const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const points = [];
    for (let slot = 0; startMs + slot * 30_000 < endMs; slot++) {
      for (const ms of perHost[h]!.get(slot) ?? []) {
        counts[LATENCY_BOUNDS_MS.findIndex((b) => ms <= b) === -1 ? LATENCY_BOUNDS_MS.length : LATENCY_BOUNDS_MS.findIndex((b) => ms <= b)]!++;
        count++;
        sum += ms;
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
      const t = startMs + (slot + 1) * 30_000;
      points.push({
        startTime: hr(startMs),
        endTime: hr(t),
        attributes: { 'rpc.service': 'S3' },
        value: { buckets: { boundaries: LATENCY_BOUNDS_MS, counts: [...counts] }, count, sum, min, max },
      });
    }
    await exportMetrics(exporter, {
      resource: resources[h]!,
      scopeMetrics: [
        {
          scope: { name: 'ranker-api', version: '3.2.0' },
          metrics: [
            {
              descriptor: { name: 'feature_store.read.duration', description: 'feature read latency', unit: 'ms', valueType: ValueType.DOUBLE },
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPointType: DataPointType.HISTOGRAM as const,
              dataPoints: points,
            },
          ],
        },
      ],
    });
  }
}
