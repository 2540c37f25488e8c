/**
 * The fixed vocabulary of the synthetic LLM-API marketplace: service categories with their price ranges,
 * the invented providers, user countries and occupations. Everything here is data; the generators draw from it.
 */

/** Service categories. A user's taste vector and `clickProbability` index categories in this order. */
export const CATEGORIES = [
  'chat',
  'code',
  'embeddings',
  'image',
  'speech',
  'agents',
  'moderation',
  'translation',
  'rag',
] as const;
export type CategoryName = (typeof CATEGORIES)[number];

export interface CategorySpec {
  name: CategoryName;
  /** Share of users' attention overall (the Dirichlet base measure of tastes). */
  demand: number;
  /** Unit of a pay-as-you-go price. */
  unit: string;
  /** Pay-as-you-go price range in USD per `unit` (drawn log-uniformly). */
  payAsYouGo: readonly [lo: number, hi: number];
  /** Monthly subscription range in USD. */
  subscription: readonly [lo: number, hi: number];
  /** Weights of FREE, PAY_AS_YOU_GO, SUBSCRIPTION, ENTERPRISE (the order of PRICING_MODELS). */
  pricingWeights: readonly [number, number, number, number];
  /** Product-line words for names ("Orion Embed Small 3"). */
  families: readonly string[];
  tags: readonly string[];
}

/** Realistic 2024-25 list prices: chat per 1M tokens from $0.10 (small open models) to $75 (frontier output). */
export const CATEGORY_SPECS: readonly CategorySpec[] = [
  {
    name: 'chat',
    demand: 0.26,
    unit: 'USD per 1M tokens',
    payAsYouGo: [0.1, 75],
    subscription: [8, 60],
    pricingWeights: [0.1, 0.6, 0.2, 0.1],
    families: ['Chat', 'Converse', 'Assist', 'Dialog'],
    tags: [
      'long-context',
      'function-calling',
      'streaming',
      'multilingual',
      'vision',
      'json-mode',
      'fine-tuning',
    ],
  },
  {
    name: 'code',
    demand: 0.17,
    unit: 'USD per 1M tokens',
    payAsYouGo: [0.2, 30],
    subscription: [10, 40],
    pricingWeights: [0.1, 0.45, 0.35, 0.1],
    families: ['Code', 'Coder', 'Devpilot'],
    tags: ['autocomplete', 'long-context', 'repo-aware', 'ide-plugin', 'function-calling'],
  },
  {
    name: 'embeddings',
    demand: 0.1,
    unit: 'USD per 1M tokens',
    payAsYouGo: [0.01, 0.5],
    subscription: [10, 100],
    pricingWeights: [0.15, 0.7, 0.05, 0.1],
    families: ['Embed', 'Vector'],
    tags: ['multilingual', 'matryoshka', 'batch', 'low-latency'],
  },
  {
    name: 'image',
    demand: 0.12,
    unit: 'USD per image',
    payAsYouGo: [0.002, 0.2],
    subscription: [10, 60],
    pricingWeights: [0.1, 0.5, 0.3, 0.1],
    families: ['Canvas', 'Imagine', 'Diffuse'],
    tags: ['text-to-image', 'inpainting', 'upscaling', 'commercial-use', 'style-transfer'],
  },
  {
    name: 'speech',
    demand: 0.07,
    unit: 'USD per minute',
    payAsYouGo: [0.002, 0.05],
    subscription: [5, 100],
    pricingWeights: [0.1, 0.6, 0.2, 0.1],
    families: ['Voice', 'Speak', 'Transcribe'],
    tags: ['text-to-speech', 'speech-to-text', 'streaming', 'voice-cloning', 'diarization'],
  },
  {
    name: 'agents',
    demand: 0.1,
    unit: 'USD per 1K actions',
    payAsYouGo: [1, 50],
    subscription: [20, 500],
    pricingWeights: [0.05, 0.3, 0.45, 0.2],
    families: ['Agent', 'Operator', 'Autopilot'],
    tags: ['tool-use', 'browser', 'workflow', 'memory', 'human-in-the-loop'],
  },
  {
    name: 'moderation',
    demand: 0.04,
    unit: 'USD per 1M tokens',
    payAsYouGo: [0.05, 2],
    subscription: [10, 100],
    pricingWeights: [0.4, 0.45, 0.05, 0.1],
    families: ['Guard', 'Shield', 'Moderate'],
    tags: ['toxicity', 'pii-detection', 'jailbreak-detection', 'images'],
  },
  {
    name: 'translation',
    demand: 0.06,
    unit: 'USD per 1M characters',
    payAsYouGo: [5, 25],
    subscription: [10, 80],
    pricingWeights: [0.1, 0.6, 0.2, 0.1],
    families: ['Translate', 'Lingua'],
    tags: ['multilingual', 'glossaries', 'document', 'formality'],
  },
  {
    name: 'rag',
    demand: 0.08,
    unit: 'USD per 1K queries',
    payAsYouGo: [0.5, 10],
    subscription: [50, 2000],
    pricingWeights: [0.05, 0.35, 0.35, 0.25],
    families: ['Retrieve', 'Knowledge', 'Search'],
    tags: ['hybrid-search', 'reranking', 'connectors', 'citations', 'on-prem'],
  },
];

export const SIZES = ['Mini', 'Lite', 'Small', 'Turbo', 'Pro', 'Large', 'Max', 'Ultra'] as const;

export interface ProviderTemplate {
  name: string;
  /** Category weights of its catalog (relative, CATEGORIES order); 0.05 means "occasionally". */
  focus: readonly number[];
}

const ALL = [1, 1, 1, 1, 1, 1, 1, 1, 1];
/** Invented providers; each resembles a kind of real lab or vendor, none is one. */
export const PROVIDER_TEMPLATES: readonly ProviderTemplate[] = [
  { name: 'Orion AI', focus: [1, 0.8, 0.6, 0.6, 0.5, 0.4, 0.3, 0.1, 0.1] }, // frontier generalist
  { name: 'Anthem Labs', focus: [1, 0.9, 0.05, 0.05, 0.05, 0.6, 0.1, 0.05, 0.1] }, // safety-minded chat lab
  { name: 'Polaris Cloud', focus: ALL }, // hyperscaler
  { name: 'Mistwind', focus: [1, 0.7, 0.5, 0.05, 0.05, 0.1, 0.2, 0.1, 0.05] }, // open-weight European lab
  { name: 'Cohesion', focus: [0.6, 0.1, 1, 0.05, 0.05, 0.2, 0.05, 0.2, 1] }, // enterprise retrieval
  { name: 'Llamarama Open Models', focus: [1, 0.6, 0.2, 0.3, 0.1, 0.05, 0.3, 0.2, 0.05] },
  { name: 'Stability Forge', focus: [0.05, 0.05, 0.05, 1, 0.2, 0.05, 0.05, 0.05, 0.05] },
  { name: 'Echo Voice', focus: [0.05, 0.05, 0.05, 0.05, 1, 0.2, 0.05, 0.3, 0.05] },
  { name: 'Lingo Bridge', focus: [0.2, 0.05, 0.05, 0.05, 0.3, 0.05, 0.05, 1, 0.05] },
  { name: 'Retrieva', focus: [0.1, 0.05, 0.7, 0.05, 0.05, 0.3, 0.05, 0.05, 1] },
  { name: 'Sentinel Safety', focus: [0.05, 0.05, 0.05, 0.2, 0.05, 0.05, 1, 0.05, 0.05] },
  { name: 'Atlas Agents', focus: [0.3, 0.4, 0.05, 0.05, 0.05, 1, 0.05, 0.05, 0.3] },
  { name: 'Quill Code', focus: [0.2, 1, 0.2, 0.05, 0.05, 0.4, 0.05, 0.05, 0.1] },
  { name: 'Kestrel AI', focus: [1, 0.3, 0.1, 0.8, 0.2, 0.2, 0.05, 0.1, 0.05] },
  { name: 'Zephyr Labs', focus: [0.8, 0.3, 0.2, 0.05, 0.05, 0.8, 0.05, 0.05, 0.6] },
  { name: 'Nimbus Compute', focus: ALL }, // model host
];

export interface CountrySpec {
  code: string;
  share: number;
  /** Whole-hour UTC offset used for the users' local hour of day. */
  utcOffsetHours: number;
}

export const COUNTRIES: readonly CountrySpec[] = [
  { code: 'US', share: 0.3, utcOffsetHours: -5 },
  { code: 'IN', share: 0.12, utcOffsetHours: 5 },
  { code: 'GB', share: 0.07, utcOffsetHours: 0 },
  { code: 'DE', share: 0.07, utcOffsetHours: 1 },
  { code: 'FR', share: 0.05, utcOffsetHours: 1 },
  { code: 'BR', share: 0.05, utcOffsetHours: -3 },
  { code: 'JP', share: 0.05, utcOffsetHours: 9 },
  { code: 'CA', share: 0.04, utcOffsetHours: -5 },
  { code: 'CN', share: 0.04, utcOffsetHours: 8 },
  { code: 'KR', share: 0.03, utcOffsetHours: 9 },
  { code: 'AU', share: 0.03, utcOffsetHours: 10 },
  { code: 'NL', share: 0.03, utcOffsetHours: 1 },
  { code: 'ES', share: 0.03, utcOffsetHours: 1 },
  { code: 'SG', share: 0.02, utcOffsetHours: 8 },
  { code: 'NG', share: 0.02, utcOffsetHours: 1 },
  { code: 'MX', share: 0.02, utcOffsetHours: -6 },
  { code: 'PL', share: 0.02, utcOffsetHours: 1 },
  { code: 'IL', share: 0.02, utcOffsetHours: 2 },
];

export interface OccupationSpec {
  name: string;
  share: number;
  /** Multiplies the taste base measure per category (CATEGORIES order). */
  tasteTilt: readonly number[];
  /** Added to price sensitivity. */
  priceShift: number;
}

export const OCCUPATIONS: readonly OccupationSpec[] = [
  { name: 'developer', share: 0.3, tasteTilt: [1, 2, 1.3, 0.7, 0.8, 1.3, 1, 0.8, 1.2], priceShift: 0 },
  {
    name: 'ml engineer',
    share: 0.1,
    tasteTilt: [1.2, 1.2, 2, 0.8, 0.8, 1.3, 1.2, 0.7, 1.8],
    priceShift: -0.05,
  },
  {
    name: 'data scientist',
    share: 0.1,
    tasteTilt: [1.2, 1.2, 1.6, 0.8, 0.7, 1, 0.8, 0.8, 1.5],
    priceShift: 0,
  },
  { name: 'founder', share: 0.08, tasteTilt: [1.2, 1, 1, 1, 1, 1.8, 0.8, 1, 1.2], priceShift: -0.1 },
  { name: 'product manager', share: 0.08, tasteTilt: [1.5, 0.6, 0.8, 1, 1, 1.4, 1, 1.2, 1], priceShift: 0 },
  { name: 'designer', share: 0.06, tasteTilt: [1, 0.4, 0.5, 3, 1.2, 0.8, 0.6, 0.8, 0.5], priceShift: 0.05 },
  { name: 'researcher', share: 0.07, tasteTilt: [1.5, 1, 1.5, 1, 1, 1, 1, 1, 1.5], priceShift: 0.05 },
  { name: 'student', share: 0.1, tasteTilt: [1.6, 1.4, 0.8, 1.2, 0.8, 0.8, 0.6, 1.2, 0.8], priceShift: 0.25 },
  { name: 'marketer', share: 0.06, tasteTilt: [1.5, 0.3, 0.5, 2, 1.5, 1, 0.8, 1.6, 0.6], priceShift: 0.05 },
  {
    name: 'support lead',
    share: 0.05,
    tasteTilt: [1.5, 0.3, 0.8, 0.5, 1.6, 1.3, 1.8, 1.5, 1.5],
    priceShift: 0,
  },
];

/** Devices a session runs on; 'api' sessions call a service the user already adopted, without browsing. */
export const DEVICES = ['desktop', 'mobile', 'api'] as const;
export type DeviceName = (typeof DEVICES)[number];

/** Relative activity by local hour of day 0-23: a night trough, a morning and an afternoon peak, an evening shoulder. */
export const DIURNAL_PATTERN: readonly number[] = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.25, 0.45, 0.75, 0.95, 1, 0.95, 0.8, 0.9, 0.95, 0.95, 0.9, 0.8, 0.65,
  0.6, 0.62, 0.6, 0.5, 0.38,
];
