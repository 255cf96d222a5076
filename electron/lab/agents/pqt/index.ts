import { pqtConfigSection } from '#shared/agents/policy-gradient-config.ts';
import { policyGradientDefinition } from '../policy-gradient/pg-agent.ts';

/** Priority-queue training (Abolafia et al. 2018): see electron/lab/agents/policy-gradient/. */
export const pqtDefinition = policyGradientDefinition('pqt', pqtConfigSection);
