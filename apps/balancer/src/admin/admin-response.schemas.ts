import { z } from 'zod';
import type { AlgorithmInfo } from '@loadex/algorithms';
import type {
  AlgorithmView,
  ApiError,
  BackendStatsView,
  BackendView,
  InfoView,
  InstancesView,
  LatencyView,
  StatsSnapshot,
} from '@loadex/api';

/**
 * The response shapes of `admin-api.types.ts` as zod schemas, for the OpenAPI document only
 * (responses are built from the types, not parsed). The assertions at the bottom fail to compile
 * if a schema and its type ever disagree.
 */
const adminState = z.enum(['active', 'draining']);

export const backendViewSchema = z
  .object({
    url: z.string(),
    weight: z.int(),
    healthy: z.boolean(),
    state: adminState,
    activeRequests: z.int(),
    totalRequests: z.int(),
    failures: z.int(),
    lastCheckAt: z.string().nullable().meta({ description: 'ISO time of the last finished health check' }),
    lastCheckMs: z.number().nullable(),
    effectiveWeight: z
      .number()
      .meta({ description: 'the weight algorithms use now (less than weight during slow start)' }),
    outlier: z
      .object({
        ejected: z.boolean(),
        ejections: z.int().meta({ description: 'ejections in a row' }),
        until: z.string().nullable().meta({ description: 'ISO time the current ejection ends' }),
      })
      .meta({ description: 'passive outlier detection (--outlier-5xx)' }),
  })
  .meta({ id: 'BackendView' });

export const backendListSchema = z.array(backendViewSchema);

export const healthMapSchema = z
  .record(z.string(), z.boolean())
  .meta({ id: 'HealthMap', description: 'backend URL → healthy', example: { 'http://127.0.0.1:8001': true } });

export const infoViewSchema = z
  .object({ algorithm: z.string(), version: z.string(), uptimeSeconds: z.number(), backends: z.int() })
  .meta({ id: 'InfoView' });

export const algorithmViewSchema = z
  .object({
    algorithm: z.string(),
    options: z.record(z.string(), z.unknown()).meta({ description: 'the options in use, defaults filled in' }),
    available: z.array(z.string()),
  })
  .meta({ id: 'AlgorithmView' });

const algorithmInfoSchema = z
  .object({
    name: z.string(),
    title: z.string().meta({ description: 'a short human name, e.g. "Round robin"' }),
    aliases: z.array(z.string()),
    description: z.string().meta({ description: 'how it chooses, in one sentence' }),
    options: z.array(
      z
        .object({
          name: z.string(),
          type: z.string().meta({ description: 'JSON type: string, number, integer or boolean' }),
          default: z.unknown(),
          description: z.string(),
        })
        .meta({ id: 'AlgorithmOptionInfo' }),
    ),
  })
  .meta({ id: 'AlgorithmInfo' });

export const algorithmListSchema = z.array(algorithmInfoSchema);

const latencyViewSchema = z
  .object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
  .meta({ id: 'LatencyView', description: 'milliseconds over the last 10 s; null without requests' });

const backendStatsViewSchema = z
  .object({
    url: z.string(),
    weight: z.int(),
    healthy: z.boolean(),
    state: adminState,
    requests: z.int(),
    errors: z.int(),
    activeRequests: z.int(),
    rps: z.number().meta({ description: 'requests per second over the last 10 s' }),
    latency: latencyViewSchema,
  })
  .meta({ id: 'BackendStatsView' });

const totalsSchema = z.object({
  requests: z.int(),
  errors: z.int(),
  activeRequests: z.int(),
  rps: z.number(),
  latency: latencyViewSchema,
});

// NEW (issue 17): the replicas of --store (and instanceViewSchema below).
const clusterStatsSchema = z
  .object({
    instances: z.array(z.string()),
    totals: z.object({ requests: z.int(), errors: z.int(), activeRequests: z.int(), rps: z.number() }),
    perInstance: z.array(z.object({ instance: z.string(), totals: totalsSchema })),
    backends: z.array(
      z.object({
        url: z.string(),
        requests: z.int(),
        errors: z.int(),
        activeRequests: z.int(),
        rps: z.number(),
        healthyOn: z.int().meta({ description: 'replicas that see it healthy' }),
        instances: z.int(),
      }),
    ),
  })
  .meta({ id: 'ClusterStats', description: 'with --store: sums over every live replica' });

export const statsSnapshotSchema = z
  .object({
    at: z.string(),
    uptimeSeconds: z.number(),
    algorithm: z.string(),
    totals: totalsSchema,
    backends: z.array(backendStatsViewSchema),
    // NEW (issue 17): with --store.
    instance: z.string().optional().meta({ description: "with --store: this replica's name" }),
    cluster: clusterStatsSchema.optional(),
  })
  .meta({ id: 'StatsSnapshot' });

const instanceViewSchema = z
  .object({
    instance: z.string(),
    self: z.boolean(),
    at: z.string(),
    uptimeSeconds: z.number(),
    algorithm: z.string(),
    version: z.int(),
    totals: totalsSchema,
    backends: z.array(backendStatsViewSchema),
  })
  .meta({ id: 'InstanceView' });

export const instancesViewSchema = z
  .object({
    instance: z.string(),
    store: z.object({ url: z.string(), up: z.boolean(), version: z.int() }).nullable(),
    instances: z.array(instanceViewSchema),
  })
  .meta({ id: 'InstancesView' });

export const apiErrorSchema = z
  .object({ statusCode: z.int(), message: z.string(), error: z.string().optional() })
  .meta({ id: 'ApiError', example: { statusCode: 400, message: 'weight: expected an integer from 1 to 1000' } });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(): T | undefined => undefined;
agree<Same<z.infer<typeof backendViewSchema>, BackendView>>();
agree<Same<z.infer<typeof infoViewSchema>, InfoView>>();
agree<Same<z.infer<typeof algorithmViewSchema>, AlgorithmView>>();
agree<Same<z.infer<typeof algorithmInfoSchema>, AlgorithmInfo>>();
agree<Same<z.infer<typeof latencyViewSchema>, LatencyView>>();
agree<Same<z.infer<typeof backendStatsViewSchema>, BackendStatsView>>();
agree<Same<z.infer<typeof statsSnapshotSchema>, StatsSnapshot>>();
agree<Same<z.infer<typeof apiErrorSchema>, ApiError>>();
agree<Same<z.infer<typeof instancesViewSchema>, InstancesView>>();
