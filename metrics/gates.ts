/** Quality gates over evaluation metrics, e.g. `auc >= 0.85`. */
export interface Gate { metric: string; op: '>=' | '<=' | '>' | '<'; value: number }

export interface GateCheck extends Gate {
  actual: number;
  passed: boolean;
  /** For people: "auc 0.9123 >= 0.85" or "auc 0.81 < 0.85 required". */
  text: string;
}

const NEGATION = { '>=': '<', '<=': '>', '>': '<=', '<': '>=' } as const;

export function formatMetric(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

export function checkGate(g: Gate, actual: number): GateCheck {
  const passed = Number.isFinite(actual) && (g.op === '>=' ? actual >= g.value : g.op === '<=' ? actual <= g.value : g.op === '>' ? actual > g.value : actual < g.value);
  const text = passed ? `${g.metric} ${formatMetric(actual)} ${g.op} ${g.value}` : `${g.metric} ${formatMetric(actual)} ${NEGATION[g.op]} ${g.value} required`;
  return { ...g, actual, passed, text };
}

export function checkGates(gates: readonly Gate[], metrics: Readonly<Record<string, number>>): GateCheck[] {
  return gates.map((g) => checkGate(g, metrics[g.metric] ?? NaN));
}
