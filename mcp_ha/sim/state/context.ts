import type { SimContext } from '../model.js';
import { ulid } from '../util/ids.js';

export function newContext(userId: string | null = null, parentId: string | null = null): SimContext {
  return { id: ulid(), parent_id: parentId, user_id: userId };
}
