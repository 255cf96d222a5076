import { z } from 'zod';
import { explorationConfigShape } from './exploration-config.ts';

/** Random search's keys in the `agent` section: only the exploration shares it samples tokens with. */
export const randomConfigSection = z.strictObject({ ...explorationConfigShape });
