import type { DatasetRows, InteractionRow, ProviderRow, ServiceRow, UserRow } from '@recsys/db';

export const T0 = Date.UTC(2024, 0, 1);

export const tinyProviders: ProviderRow[] = [
  { id: 'openai', name: 'OpenAI' },
  { id: 'mistral', name: 'Mistral' },
  // A provider without services: it is still part of the dataset's provider vocabulary.
  { id: 'cohere', name: 'Cohere' },
];

export const tinyServices: ServiceRow[] = [
  {
    id: 'svc-b',
    providerId: 'mistral',
    name: 'Mistral Large',
    description: 'chat model',
    categories: ['chat', 'code'],
    tags: ['eu'],
    pricingModel: 'PAY_AS_YOU_GO',
    priceTier: 2,
    priceUsd: 8,
    freeTier: false,
    status: 'ACTIVE',
    createdAtMs: T0,
  },
  {
    id: 'svc-a',
    providerId: 'openai',
    name: 'GPT Image',
    description: null,
    categories: ['image'],
    tags: [],
    pricingModel: 'SUBSCRIPTION',
    priceTier: 3,
    priceUsd: null,
    freeTier: true,
    status: 'RETIRED',
    createdAtMs: T0 + 1000,
  },
  { id: 'svc-c', name: 'Whisper', categories: [], tags: ['audio', 'eu'], createdAtMs: T0 + 2000 },
];

export const tinyUsers: UserRow[] = [
  { id: 'u2', role: 'USER', createdAtMs: T0, age: 31, gender: 'F', occupation: 'engineer', country: 'FR' },
  {
    id: 'u1',
    role: 'PROVIDER',
    createdAtMs: T0 + 5000,
    age: null,
    gender: null,
    occupation: 'writer',
    country: null,
  },
  { id: 'u3', createdAtMs: T0 + 6000 },
];

const event = (
  userId: string,
  serviceId: string,
  type: InteractionRow['type'],
  atS: number,
  value?: number,
): InteractionRow => ({
  userId,
  serviceId,
  type,
  value: value ?? null,
  occurredAtMs: T0 + atS * 1000,
  idempotencyKey: `${userId}/${serviceId}/${type}/${atS}`,
});

export const tinyInteractions: InteractionRow[] = [
  event('u1', 'svc-a', 'VIEW', 10),
  event('u2', 'svc-b', 'RATING', 11, 4.5),
  event('u1', 'svc-b', 'CLICK', 12),
  event('u3', 'svc-c', 'PURCHASE', 13, 20),
  event('u2', 'svc-a', 'API_CALL', 14),
  event('u1', 'svc-a', 'RATING', 15, 3),
];

/** A fresh DatasetRows over the tiny fixture (streams are consumed once). */
export function tinyDatasetRows(): DatasetRows {
  return {
    providers: tinyProviders,
    users: tinyUsers,
    services: tinyServices,
    interactions: tinyInteractions,
  };
}
