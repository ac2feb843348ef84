/**
 * The maintenance job's batch size, time budget and interval: a leaf module, so the app's deps
 * (deps.ts) can name them without importing the job (which imports the context, which imports
 * the deps).
 */
export interface MaintenanceLimits {
  /** Rows one statement changes at most. */
  batchSize: number
  /** Wall time after which a run starts no further round of batches. */
  budgetMs: number
  /** How often each instance tries to claim a run; a claim lasts as long. */
  intervalMs: number
}

export const DEFAULT_MAINTENANCE: MaintenanceLimits = {
  batchSize: 500,
  budgetMs: 1_000,
  intervalMs: 60_000,
}
