import { readCheckpoint, writeCheckpoint } from '#lab/training/checkpoint-files.ts';
import { PolicyNetwork, type PolicyNetworkShape } from '#lab/models/policy-network.ts';
import { pgConfigSchema, type PgConfig } from '#lab/agents/policy-gradient/pg-config.ts';
import { z } from 'zod';

/** What a pretrained policy folder says about itself (manifest meta). */
export const policyModelMetaSchema = z.object({
  kind: z.literal('policy-network'),
  shape: z.object({ inputSize: z.number().int(), hidden: z.number().int(), actions: z.number().int() }),
  /** The environment it was trained for: programs of at most max_steps tokens, the signatures layout. */
  max_steps: z.number().int(),
  state_layout: z.enum(['seed', 'signatures']),
  /** How solve fine-tunes it per problem. */
  pg: pgConfigSchema,
  /** What it was trained on and how long it took, for the record. */
  trained_on: z.record(z.string(), z.unknown()),
});
export type PolicyModelMeta = z.infer<typeof policyModelMetaSchema>;

export interface PolicyModel {
  readonly network: PolicyNetwork;
  readonly meta: PolicyModelMeta;
}

/** Writes a model folder (weights only, float32: about 1 MB at hidden 256). */
export function savePolicyModel(dir: string, network: PolicyNetwork, meta: Omit<PolicyModelMeta, 'kind' | 'shape'>): void {
  const { arrays } = network.save(true);
  writeCheckpoint(dir, { meta: { kind: 'policy-network', shape: network.shape, ...meta }, arrays });
}

export function loadPolicyModel(dir: string): PolicyModel {
  const payload = readCheckpoint(dir);
  const parsed = policyModelMetaSchema.safeParse(payload.meta);
  if (!parsed.success) throw new Error(`${dir} is not a policy model: ${parsed.error.issues.map((i) => `${i.path.join('.') || '<meta>'}: ${i.message}`).join('; ')}`);
  const shape: PolicyNetworkShape = parsed.data.shape;
  return { network: PolicyNetwork.restore({ shape, steps: 0 }, payload.arrays), meta: parsed.data };
}

export function isPolicyModel(dir: string): boolean {
  try {
    return policyModelMetaSchema.safeParse(readCheckpoint(dir).meta).success;
  } catch {
    return false;
  }
}

export type { PgConfig };
