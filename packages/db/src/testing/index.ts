export { createTestDatabase, type TestDatabase, testDatabaseServerUrl } from "./test-database";
