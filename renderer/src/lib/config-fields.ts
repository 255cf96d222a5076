import { z } from 'zod';
import { trainingConfigSchema } from '#shared/config/training-config.ts';

export type FieldKind = 'number' | 'integer' | 'enum' | 'boolean' | 'text';

export interface ConfigField {
  section: string;
  key: string;
  path: string;
  kind: FieldKind;
  min: number | null;
  max: number | null;
  options: string[];
  defaultValue: unknown;
  optional: boolean;
  help: string;
}

export interface ConfigGroup {
  section: string;
  title: string;
  fields: ConfigField[];
}

/** Sections the form shows, in the seed's order (data and paths come from the problem set choice). */
const SECTIONS: [string, string][] = [
  ['environment', 'Environment'],
  ['agent', 'Agent'],
  ['reward', 'Reward'],
  ['training', 'Training'],
];

/** Unwraps defaults and optionals, keeping the first description found on the way (the key's doc text). */
function unwrap(schema: z.ZodType): { inner: z.ZodType; defaultValue: unknown; optional: boolean; help: string } {
  let inner = schema;
  let defaultValue: unknown;
  let optional = false;
  let help = schema.description ?? '';
  for (;;) {
    help ||= inner.description ?? '';
    if (inner instanceof z.ZodDefault) {
      defaultValue = (inner.def as { defaultValue: unknown }).defaultValue;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else return { inner, defaultValue, optional, help };
  }
}

function fieldOf(section: string, key: string, schema: z.ZodType): ConfigField {
  const { inner, defaultValue, optional, help } = unwrap(schema);
  const path = `${section}.${key}`;
  const base = { section, key, path, defaultValue, optional, help, min: null, max: null, options: [] };
  if (inner instanceof z.ZodNumber) {
    return { ...base, kind: inner.isInt ? 'integer' : 'number', min: inner.minValue, max: inner.maxValue };
  }
  if (inner instanceof z.ZodEnum) return { ...base, kind: 'enum', options: inner.options.map(String) };
  if (inner instanceof z.ZodBoolean) return { ...base, kind: 'boolean' };
  return { ...base, kind: 'text' };
}

/** The hyperparameter form, read from the same schema that validates configs everywhere. */
export function configGroups(): ConfigGroup[] {
  const shape = trainingConfigSchema.shape as Record<string, z.ZodType>;
  return SECTIONS.map(([section, title]) => {
    const sectionSchema = unwrap(shape[section]!).inner as z.ZodObject;
    const fields = Object.entries(sectionSchema.shape as Record<string, z.ZodType>).map(([key, schema]) => fieldOf(section, key, schema));
    return { section, title, fields };
  });
}
