import type { z } from "zod";
import { listWebhookDeliveriesRequest, listWebhookDeliveriesResponse } from "../../schemas/webhook";

export const listWebhookDeliveriesInput = listWebhookDeliveriesRequest;
export type ListWebhookDeliveriesInput = z.infer<typeof listWebhookDeliveriesInput>;
export const listWebhookDeliveriesOutput = listWebhookDeliveriesResponse;
