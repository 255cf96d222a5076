import { rspgConfigSection } from '#shared/agents/policy-gradient-config.ts';
import { policyGradientDefinition } from '../policy-gradient/pg-agent.ts';

/** Risk-seeking policy gradient (Petersen et al. 2021): see electron/lab/agents/policy-gradient/. */
export const rspgDefinition = policyGradientDefinition('rspg', rspgConfigSection);
