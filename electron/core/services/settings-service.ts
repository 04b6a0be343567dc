/** Alert rules and redaction rules, kept in the store's settings. */
import { ApiRequestError, type ApiImplementation } from '../../../shared/api/contract.js';
import { readAlertHistory, readAlertStatuses, replaceAlertRules } from '../alerts/alert-store.js';
import { readRedactionCounts, readRedactionRules, redactionRulesProblem, writeRedactionRules } from '../redaction/redaction-settings.js';
import type { CoreContext } from './core-context.js';
import type { AnalysisResult } from '../../../shared/model/analysis.js';
import { previewDriftRule, previewSpanRule } from '../alerts/alert-preview.js';
import { listDatasets } from '../store/datasets.js';
import { LIVE_DATASET_ID } from '../store/batch-writer.js';

type SettingsMethods = 'listAlerts' | 'saveAlertRules' | 'previewAlertRule' | 'getRedaction' | 'saveRedaction';

export function settingsService(ctx: CoreContext): Pick<ApiImplementation, SettingsMethods> {
  const { reader } = ctx;
  const alerts = (): { statuses: ReturnType<typeof readAlertStatuses>; history: ReturnType<typeof readAlertHistory> } => ({
    statuses: readAlertStatuses(reader),
    history: readAlertHistory(reader),
  });
  const redaction = (): { rules: ReturnType<typeof readRedactionRules>; counts: Record<string, number> } => ({
    rules: readRedactionRules(reader),
    counts: readRedactionCounts(reader),
  });
  return {
    listAlerts: () => alerts(),
    saveAlertRules: (r) => {
      ctx.withWriter((db) => replaceAlertRules(db, r.rules));
      ctx.onRulesChanged();
      return alerts();
    },
    previewAlertRule: async ({ rule, datasetId = LIVE_DATASET_ID }) => {
      if (!listDatasets(reader).some((d) => d.id === datasetId)) throw new ApiRequestError(`no dataset ${datasetId}`);
      if (rule.kind !== 'drift') return previewSpanRule(reader, rule, datasetId);
      const result = await ctx.runJob<AnalysisResult>({ kind: 'analyze', options: { datasetId, model: rule.model, settings: {} } });
      return previewDriftRule(rule, datasetId, result.models);
    },
    getRedaction: () => redaction(),
    saveRedaction: (r) => {
      // A pattern RE2 cannot run (backreferences, lookaround) is refused, naming the rule.
      const problem = redactionRulesProblem(r.rules);
      if (problem !== null) throw new ApiRequestError(problem);
      ctx.withWriter((db) => writeRedactionRules(db, r.rules));
      return redaction();
    },
  };
}
