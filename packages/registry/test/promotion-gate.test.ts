import path from 'node:path';
import {
  checkPromotionGate,
  DEFAULT_PROMOTION_GATE_CONFIG,
  LocalArtifactStore,
  ModelRegistry,
  promoteVersion,
  promotionGateConfig,
  PromotionGateError,
  PromotionGateErrorCode,
  userRole,
  type ModelVersionRecord,
  type RegisterModelInput,
} from '../src';
import {
  registerInput,
  registryDatabase,
  removeDir,
  tempDir,
  writeArtifactFolder,
  type RegistryDatabase,
} from './support/fixtures';

function version(overrides: Partial<ModelVersionRecord>): ModelVersionRecord {
  return {
    id: 'v',
    modelType: 'als',
    version: 1,
    placement: 'home',
    datasetId: 'ml-100k',
    dataFingerprint: 'f',
    params: {},
    metrics: { 'ndcg@10': 0.4, rmse: 0.9 },
    protocol: 'holdout',
    artifactUri: 'file:///x',
    stage: 'CANDIDATE',
    canaryPercent: null,
    createdAt: new Date(0),
    createdBy: null,
    promotedAt: null,
    promotedBy: null,
    sourceJobId: null,
    trackingRunId: null,
    ...overrides,
  };
}

describe('checkPromotionGate', () => {
  const gate = { metric: 'ndcg@10', minRelativeImprovement: 0.01 };
  const production = version({ id: 'p', stage: 'PRODUCTION', metrics: { 'ndcg@10': 0.4, rmse: 0.9 } });

  it('passes without a production version', () => {
    expect(checkPromotionGate(version({}), null, gate)).toMatchObject({ passed: true });
  });

  it('needs the relative margin: +1.25% passes, +0.5% does not', () => {
    expect(checkPromotionGate(version({ metrics: { 'ndcg@10': 0.405 } }), production, gate)).toMatchObject({
      passed: true,
      comparison: { candidate: 0.405, production: 0.4 },
    });
    const refused = checkPromotionGate(version({ metrics: { 'ndcg@10': 0.402 } }), production, gate);
    expect(refused).toMatchObject({ passed: false, refusal: 'NOT_BETTER' });
    expect(refused.reason).toContain('ndcg@10 0.4020 vs production 0.4000');
  });

  it('treats error metrics as lower-is-better', () => {
    const rmseGate = { metric: 'rmse', minRelativeImprovement: 0.01 };
    expect(checkPromotionGate(version({ metrics: { rmse: 0.85 } }), production, rmseGate)).toMatchObject({
      passed: true,
    });
    expect(checkPromotionGate(version({ metrics: { rmse: 0.95 } }), production, rmseGate)).toMatchObject({
      passed: false,
      refusal: 'NOT_BETTER',
    });
  });

  it('refuses metrics of another protocol or dataset, naming both', () => {
    const otherProtocol = checkPromotionGate(
      version({ protocol: 'loo-sampled', metrics: { 'ndcg@10': 0.9 } }),
      production,
      gate,
    );
    expect(otherProtocol).toMatchObject({ passed: false, refusal: 'NOT_COMPARABLE' });
    expect(otherProtocol.reason).toContain('protocol loo-sampled');
    expect(otherProtocol.reason).toContain('protocol holdout');
    const otherData = checkPromotionGate(
      version({ datasetId: 'synthetic', metrics: { 'ndcg@10': 0.9 } }),
      production,
      gate,
    );
    expect(otherData).toMatchObject({ passed: false, refusal: 'NOT_COMPARABLE' });
    expect(otherData.reason).toContain('dataset synthetic');
  });

  it('refuses when the gate metric is missing', () => {
    expect(checkPromotionGate(version({ metrics: { 'recall@10': 0.3 } }), production, gate)).toMatchObject({
      passed: false,
      refusal: 'METRIC_MISSING',
    });
  });
});

describe('promotionGateConfig', () => {
  it('defaults to ndcg@10 with a 1% margin', () => {
    expect(promotionGateConfig({})).toEqual(DEFAULT_PROMOTION_GATE_CONFIG);
  });

  it('reads per-placement gates over a default', () => {
    const config = promotionGateConfig({
      RECSYS_PROMOTION_GATES: '{"default":{"metric":"recall@10","margin":0.02},"search":{"margin":0.05}}',
    });
    expect(config.default).toEqual({ metric: 'recall@10', minRelativeImprovement: 0.02 });
    expect(config.placements.search).toEqual({ metric: 'recall@10', minRelativeImprovement: 0.05 });
  });

  it('names the bad entry', () => {
    expect(() => promotionGateConfig({ RECSYS_PROMOTION_GATES: '{"home":{"margin":-1}}' })).toThrow(
      /home\.margin/,
    );
    expect(() => promotionGateConfig({ RECSYS_PROMOTION_GATES: 'nope' })).toThrow(/not JSON/);
  });
});

describe('promoteVersion', () => {
  let database: RegistryDatabase;
  let work: string;
  let source: string;
  let registry: ModelRegistry;
  let placementSeq = 0;

  beforeAll(async () => {
    database = await registryDatabase();
    work = await tempDir('gate');
    source = path.join(work, 'trained');
    await writeArtifactFolder(source, 'trained');
    registry = new ModelRegistry({
      prisma: database.prisma,
      store: new LocalArtifactStore(path.join(work, 'store')),
    });
    await database.prisma.dataset.create({ data: { id: 'marketplace', source: 'marketplace' } });
    await database.prisma.user.createMany({
      data: [
        { datasetId: 'marketplace', id: 'alice', role: 'ADMIN' },
        { datasetId: 'marketplace', id: 'bob', role: 'USER' },
      ],
    });
  });

  afterAll(async () => {
    await database.close();
    await removeDir(work);
  });

  async function placementWithProduction(
    ndcg: number,
  ): Promise<{ placement: string; production: ModelVersionRecord }> {
    const placement = `gate-${++placementSeq}`;
    const production = await register({ placement, metrics: { 'ndcg@10': ndcg } });
    await registry.setStage(production.id, 'PRODUCTION', { actor: 'setup' });
    return { placement, production };
  }

  function register(overrides: Partial<RegisterModelInput>): Promise<ModelVersionRecord> {
    return registry.register(registerInput(source, { modelType: 'als', ...overrides }));
  }

  it('refuses a worse candidate and leaves production and the audit log as they were', async () => {
    const { placement, production } = await placementWithProduction(0.45);
    const candidate = await register({ placement, metrics: { 'ndcg@10': 0.44 } });
    const before = await registry.history({ placement });
    const refused = promoteVersion(registry, candidate.id, { actor: 'carol' });
    await expect(refused).rejects.toBeInstanceOf(PromotionGateError);
    await expect(refused).rejects.toMatchObject({
      code: PromotionGateErrorCode.PROMOTION_REFUSED,
      decision: { refusal: 'NOT_BETTER' },
    });
    expect((await registry.production(placement))?.id).toBe(production.id);
    expect(await registry.history({ placement })).toEqual(before);
  });

  it('promotes a better candidate, the verdict in the audit reason', async () => {
    const { placement, production } = await placementWithProduction(0.45);
    const candidate = await register({ placement, metrics: { 'ndcg@10': 0.47 } });
    const result = await promoteVersion(registry, candidate.id, { actor: 'carol', reason: 'weekly retrain' });
    expect(result).toMatchObject({ forced: false, version: { id: candidate.id, stage: 'PRODUCTION' } });
    expect((await registry.get(production.id)).stage).toBe('ARCHIVED');
    const last = (await registry.history({ versionId: candidate.id })).at(-1);
    expect(last).toMatchObject({ toStage: 'PRODUCTION', actor: 'carol', forced: false });
    expect(last?.reason).toMatch(/^weekly retrain \(gate: ndcg@10 0\.4700 vs production 0\.4500/);
  });

  it('lets an ADMIN force a refused promotion with a reason, audited as forced', async () => {
    const { placement } = await placementWithProduction(0.45);
    const candidate = await register({ placement, metrics: { 'ndcg@10': 0.3 } });
    const role = await userRole(database.prisma, 'marketplace', 'alice');
    expect(role).toBe('ADMIN');
    const result = await promoteVersion(registry, candidate.id, {
      actor: 'alice',
      actorRole: role,
      force: true,
      reason: 'offline metric misleads: A/B test won',
    });
    expect(result.forced).toBe(true);
    expect((await registry.production(placement))?.id).toBe(candidate.id);
    const rows = await registry.history({ placement });
    expect(rows.filter((r) => r.forced).map((r) => [r.toStage, r.actor])).toEqual([
      ['ARCHIVED', 'alice'],
      ['PRODUCTION', 'alice'],
    ]);
    expect(rows.at(-1)?.reason).toContain('forced past the gate');
  });

  it('refuses force from a non-admin or without a reason', async () => {
    const { placement } = await placementWithProduction(0.45);
    const candidate = await register({ placement, metrics: { 'ndcg@10': 0.3 } });
    await expect(
      promoteVersion(registry, candidate.id, {
        actor: 'bob',
        actorRole: await userRole(database.prisma, 'marketplace', 'bob'),
        force: true,
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: PromotionGateErrorCode.FORCE_NOT_ALLOWED });
    await expect(
      promoteVersion(registry, candidate.id, { actor: 'mallory', actorRole: null, force: true, reason: 'x' }),
    ).rejects.toThrow(/not a known user/);
    await expect(
      promoteVersion(registry, candidate.id, { actor: 'alice', actorRole: 'ADMIN', force: true }),
    ).rejects.toMatchObject({ code: PromotionGateErrorCode.REASON_REQUIRED });
  });

  it('refuses metrics of another protocol unless forced; gates CANARY, not SHADOW', async () => {
    const { placement } = await placementWithProduction(0.45);
    const other = await register({ placement, protocol: 'loo-sampled', metrics: { 'ndcg@10': 0.9 } });
    await expect(promoteVersion(registry, other.id, { actor: 'carol' })).rejects.toThrow(/not comparable/);
    await expect(
      promoteVersion(registry, other.id, { actor: 'carol', stage: 'CANARY', canaryPercent: 10 }),
    ).rejects.toMatchObject({ code: PromotionGateErrorCode.PROMOTION_REFUSED });
    const shadow = await promoteVersion(registry, other.id, { actor: 'carol', stage: 'SHADOW' });
    expect(shadow).toMatchObject({ decision: null, version: { stage: 'SHADOW' } });
  });
});
