import type { z } from "zod";
import { systemEventQueryRequest, systemEventQueryResponse } from "../../schemas/system-event";

export const listSystemEventsInput = systemEventQueryRequest;
export type ListSystemEventsInput = z.infer<typeof listSystemEventsInput>;
export const listSystemEventsOutput = systemEventQueryResponse;
