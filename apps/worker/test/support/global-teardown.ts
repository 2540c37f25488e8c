import './global-setup';

export default async function globalTeardown(): Promise<void> {
  await globalThis.workerTestDatabase?.drop();
  globalThis.workerTestDatabase = undefined;
}
