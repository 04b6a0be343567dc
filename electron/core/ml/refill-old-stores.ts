/**
 * Stores written before the ML index took its current shape (schema < ML_SCHEMA_VERSION) get
 * it filled once from their spans and logs, right after the migration that creates them, by
 * whichever writer opens the store first. The store runs such steps without knowing what they
 * are (open-store.ts: registerAfterMigrate); importing this module registers the ML one. The
 * ingest writer imports it, so every process that writes telemetry (the serve process and its
 * worker threads, the CLI) has it before it opens a store.
 */
import { registerAfterMigrate } from '../store/open-store.js';
import { ML_SCHEMA_VERSION } from '../store/migrations.js';
import type { Db } from '../store/db.js';
import { reextractMlIndex } from './reextract.js';
import { PredictionPacker } from './pack-predictions.js';

/** The migration that added prediction blocks (pack-predictions.ts). */
const PREDICTION_BLOCKS_VERSION = 6;

function refillMlIndexOfOldStore(db: Db, versionBefore: number): void {
  if (versionBefore > 0 && versionBefore < ML_SCHEMA_VERSION) reextractMlIndex(db);
  // Older predictions are packed once, so the first analysis after an upgrade is as fast as later ones.
  if (versionBefore > 0 && versionBefore < PREDICTION_BLOCKS_VERSION) db.transaction(() => new PredictionPacker(db).packAll())();
}

registerAfterMigrate(refillMlIndexOfOldStore);
