import type { Prisma } from '@recsys/db';
import { ExperimentError, ExperimentErrorCode } from '../errors';

/** `modelType@version`, the label serving reports (`als@3`). */
const LABEL = /^(.+)@([1-9]\d{0,8})$/;

/**
 * The id of the registry ModelVersion a variant names (its id, or `modelType@version`), refusing one
 * that does not exist (UNKNOWN_MODEL_VERSION) or is ARCHIVED (ARCHIVED_MODEL_VERSION).
 */
export async function resolveModelVersion(
  db: Prisma.TransactionClient,
  reference: string,
  field: string,
): Promise<string> {
  const label = LABEL.exec(reference);
  const row = label
    ? await db.modelVersion.findUnique({
        where: { modelType_version: { modelType: label[1], version: Number(label[2]) } },
        select: { id: true, stage: true, modelType: true, version: true },
      })
    : await db.modelVersion.findUnique({
        where: { id: reference },
        select: { id: true, stage: true, modelType: true, version: true },
      });
  if (row === null) {
    throw new ExperimentError(
      ExperimentErrorCode.UNKNOWN_MODEL_VERSION,
      `model version "${reference}" is not in the registry`,
      field,
    );
  }
  if (row.stage === 'ARCHIVED') {
    throw new ExperimentError(
      ExperimentErrorCode.ARCHIVED_MODEL_VERSION,
      `model version "${reference}" (${row.modelType}@${row.version}) is ARCHIVED`,
      field,
    );
  }
  return row.id;
}
