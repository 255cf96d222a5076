import type { diagnosticsMethods } from '#shared/api/diagnostics-api.ts';
import { agentDefinition } from '#lab/agents/registry.ts';
import { readDiagnostics } from '#lab/store/diagnostics.ts';
import { requireExperiment } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';

export const diagnosticsHandlers: HandlerMap<keyof typeof diagnosticsMethods> = {
  'diagnostics.get': ({ experiment_id, kinds }, ctx) => {
    const experiment = requireExperiment(ctx, experiment_id);
    let valueAgent = false;
    let policyAgent = false;
    try {
      const definition = agentDefinition(experiment.agent as Parameters<typeof agentDefinition>[0]);
      valueAgent = definition.reports === 'q-values' && definition.learns;
      policyAgent = definition.reports === 'probabilities' && definition.learns;
    } catch {
      // an agent kind this version does not know: only its token counts can be shown
    }
    return { samples: readDiagnostics(ctx.db, experiment_id, kinds), value_agent: valueAgent, policy_agent: policyAgent };
  },
};
