import type * as z from 'zod';
import { pickFields } from './items';

/**
 * How an item kind maps to its aggregate, from the aggregate's one declaration (functions/domain):
 * the item holds the declared fields beside its keys, index attributes and `type` tag, and reading
 * it takes exactly the declared fields back. A field added to the declaration is stored and read
 * with no list to update here, so reading an item can no longer drop a field.
 */
export function entityOf<T>(declaration: z.ZodObject<z.ZodRawShape>) {
  const fields = Object.keys(declaration.shape);
  return {
    fields,
    /** The aggregate inside an item: keys, index attributes and the type tag stay behind. */
    fromItem: (item: Record<string, unknown>): T => pickFields<T>(item, fields),
  };
}
