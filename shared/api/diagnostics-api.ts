import { z } from 'zod';
import { DIAGNOSTIC_KINDS, diagnosticSampleSchema } from '../diagnostics/diagnostic-samples.ts';
import { method } from './method.ts';

/** What the trainer sampled about a run's agent, for the dashboard's diagnostics panels and their exports. */
export const diagnosticsMethods = {
  'diagnostics.get': method(
    z.strictObject({ experiment_id: z.number().int().positive(), kinds: z.array(z.enum(DIAGNOSTIC_KINDS)).optional() }),
    z.object({
      samples: z.array(diagnosticSampleSchema),
      /** The run's agent reports Q-values (the value panels apply). */
      value_agent: z.boolean(),
      /** The run's agent samples tokens from a learnt distribution (the policy panels apply). */
      policy_agent: z.boolean(),
    }),
  ),
};
