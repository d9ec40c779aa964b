import { InvalidArgumentError } from 'commander';

/** Parses repeated `--param k=v` flags; values stay strings, the notebook's param types coerce them. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--param expects name=value, got ${JSON.stringify(value)}`);
  const name = value.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidArgumentError(`--param name ${JSON.stringify(name)} is not a valid parameter name`);
  if (Object.hasOwn(previous, name)) throw new InvalidArgumentError(`--param ${name} is given twice`);
  return { ...previous, [name]: value.slice(eq + 1) };
}
