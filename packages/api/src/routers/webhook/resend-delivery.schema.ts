import type { z } from "zod";
import { resendWebhookDeliveryRequest, resendWebhookDeliveryResponse } from "../../schemas/webhook";

export const resendWebhookDeliveryInput = resendWebhookDeliveryRequest;
export type ResendWebhookDeliveryInput = z.infer<typeof resendWebhookDeliveryInput>;
export const resendWebhookDeliveryOutput = resendWebhookDeliveryResponse;
