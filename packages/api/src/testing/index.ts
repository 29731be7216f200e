export { createGatewayToken } from "../admin/gateway-tokens";
export {
  api,
  createWorkspaceFixture,
  type Harness,
  type HarnessOptions,
  type Member,
  startHarness,
  type WorkspaceFixture,
} from "./api-harness";
