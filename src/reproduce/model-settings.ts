/**
 * A benchmark run with the user's own model settings (`reproduce <benchmark> --model.memory-size 50`): how
 * they are named in the protocol line and kept in a ledger, so runs made with other settings are not mixed in.
 */

/** `, model settings: memorySize 50, shrinkThreshold 0.01`, or '' when the benchmark's own settings stand. */
export function modelSettingsText(settings: Record<string, unknown>): string {
  const entries = Object.entries(settings);
  return entries.length ? `, model settings: ${entries.map(([key, value]) => `${key} ${String(value)}`).join(', ')}` : '';
}

/** The ledger's record of them; none when there are none, so ledgers made before they existed still match. */
export function modelSettingsForLedger(settings: Record<string, unknown>): { modelSettings?: string } {
  return Object.keys(settings).length ? { modelSettings: JSON.stringify(settings) } : {};
}
