/**
 * The one way HTTP routes change a running workflow: `executeUpdate` with the request's idempotency
 * key as the Temporal `updateId` (so a retried request whose first answer was lost gets the first
 * update's result from Temporal instead of a refusal: a second cancel is not "already cancelled"),
 * and the workflow's refusal turned into an HTTP error (src/http/workflow-errors.ts).
 */
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Response } from 'express';
import { idempotencyOf } from './idempotency';
import { httpErrorForUpdate } from './workflow-errors';

export async function updateWorkflow<Ret, Args extends [unknown, ...unknown[]]>(
  temporal: Client,
  res: Response,
  request: {
    workflowId: string;
    update: UpdateDefinition<Ret, Args>;
    args: Args;
    /** The field a refusal without a field of its own is reported on (422). */
    field?: string;
  },
): Promise<Ret> {
  const idempotency = idempotencyOf(res);
  try {
    return await temporal.workflow.getHandle(request.workflowId).executeUpdate(request.update, {
      args: request.args,
      ...(idempotency ? { updateId: `http:${idempotency.requestKey}` } : {}),
    });
  } catch (error) {
    throw httpErrorForUpdate(error, request.field);
  }
}
